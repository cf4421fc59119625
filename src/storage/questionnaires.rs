//! Questionnaires, their questions, and responses stored in long form (one row per response, question, item and
//! value).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    answers, coverage_targets, feedback_contacts, questionnaires, questions, responses, survey_invitations,
};
use super::{now, DbConnection};
use crate::domain::questionnaire::{
    AnswerItem, Condition, ConditionOp, NewQuestionnaire, Question, QuestionType, Settings,
};

#[derive(Debug, Clone, Queryable)]
pub struct Questionnaire {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub title: String,
    pub introduction: String,
    pub public_token: String,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Answers only through single-use invitations (`survey_invitations`).
    pub invitation_only: bool,
    /// Not published yet: it takes no answer online (`publish_questionnaire`).
    pub draft: bool,
}

impl Questionnaire {
    /// Whether it takes answers online on `today`: published, and between its dates.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        !self.draft && NewQuestionnaire::is_open(self.opens_on, self.closes_on, today)
    }
}

type QuestionRow = (i64, i64, i32, String, String, String, bool, String, Option<i64>, Option<String>, String, bool);

fn question_of(row: QuestionRow) -> Question {
    let (id, _, _, kind, label, help, required, settings, condition_question, condition_op, condition_values, profile) =
        row;
    let condition = match (condition_question, condition_op.as_deref().map(ConditionOp::parse)) {
        (Some(question_id), Some(Ok(op))) => {
            Some(Condition { question_id, op, values: condition_values.lines().map(str::to_owned).collect() })
        }
        _ => None,
    };
    Question {
        id,
        // Stored values were validated on the way in (and the CHECK lists the types).
        kind: QuestionType::parse(&kind).unwrap_or(QuestionType::ShortText),
        label,
        help,
        required,
        settings: serde_json::from_str::<Settings>(&settings).unwrap_or_default(),
        condition,
        profile,
    }
}

pub fn create_questionnaire(
    conn: &mut DbConnection,
    project_id: i64,
    collectivity_id: i64,
    questionnaire: &NewQuestionnaire,
    public_token: &str,
    user_id: i64,
) -> QueryResult<i64> {
    let at = now();
    diesel::insert_into(questionnaires::table)
        .values((
            questionnaires::project_id.eq(project_id),
            questionnaires::collectivity_id.eq(collectivity_id),
            questionnaires::title.eq(&questionnaire.title),
            questionnaires::introduction.eq(&questionnaire.introduction),
            questionnaires::public_token.eq(public_token),
            questionnaires::opens_on.eq(questionnaire.opens_on),
            questionnaires::closes_on.eq(questionnaire.closes_on),
            questionnaires::created_by.eq(user_id),
            questionnaires::created_at.eq(at),
            questionnaires::updated_at.eq(at),
            questionnaires::draft.eq(true),
        ))
        .returning(questionnaires::id)
        .get_result(conn)
}

/// Publishes a draft, if it has a question to answer: false when it has none (or was published already). The
/// condition is in the `UPDATE`, so a question removed meanwhile is taken into account.
pub fn publish_questionnaire(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let answerable = questions::table
        .filter(questions::questionnaire_id.eq(id))
        .filter(questions::kind.ne(QuestionType::Section.code()));
    let published = diesel::update(
        questionnaires::table
            .filter(questionnaires::id.eq(id))
            .filter(questionnaires::draft.eq(true))
            .filter(diesel::dsl::exists(answerable)),
    )
    .set(questionnaires::draft.eq(false))
    .execute(conn)?;
    if published > 0 {
        touch(conn, id)?;
    }
    Ok(published > 0)
}

pub fn find_questionnaire(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Questionnaire>> {
    questionnaires::table.find(id).first(conn).optional()
}

pub fn find_by_token(conn: &mut DbConnection, token: &str) -> QueryResult<Option<Questionnaire>> {
    questionnaires::table.filter(questionnaires::public_token.eq(token)).first(conn).optional()
}

/// The questionnaires of one group with their number of responses, the most recent first.
pub fn questionnaires_of_group(
    conn: &mut DbConnection,
    project_id: i64,
    collectivity_id: i64,
) -> QueryResult<Vec<(Questionnaire, i64)>> {
    let list: Vec<Questionnaire> = questionnaires::table
        .filter(questionnaires::project_id.eq(project_id))
        .filter(questionnaires::collectivity_id.eq(collectivity_id))
        .order((questionnaires::created_at.desc(), questionnaires::id.desc()))
        .load(conn)?;
    let ids: Vec<i64> = list.iter().map(|q| q.id).collect();
    let counts: Vec<(i64, i64)> = responses::table
        .filter(responses::questionnaire_id.eq_any(&ids))
        .group_by(responses::questionnaire_id)
        .select((responses::questionnaire_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(list
        .into_iter()
        .map(|q| {
            let n = counts.iter().find(|(id, _)| *id == q.id).map_or(0, |(_, n)| *n);
            (q, n)
        })
        .collect())
}

/// A questionnaire's questions in their order.
pub fn questions_of(conn: &mut DbConnection, questionnaire_id: i64) -> QueryResult<Vec<Question>> {
    let rows: Vec<QuestionRow> = questions::table
        .filter(questions::questionnaire_id.eq(questionnaire_id))
        .order((questions::position.asc(), questions::id.asc()))
        .load(conn)?;
    Ok(rows.into_iter().map(question_of).collect())
}

/// What a question says, as stored: written the same way when it is added and when it is edited.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = questions, treat_none_as_null = true)]
struct QuestionContent<'a> {
    kind: &'static str,
    label: &'a str,
    help: &'a str,
    required: bool,
    settings: String,
    condition_question_id: Option<i64>,
    condition_op: Option<&'static str>,
    condition_values: String,
    profile: bool,
}

impl QuestionContent<'_> {
    fn of(question: &Question) -> QuestionContent<'_> {
        let condition = question.condition.as_ref();
        QuestionContent {
            kind: question.kind.code(),
            label: &question.label,
            help: &question.help,
            required: question.required,
            settings: serde_json::to_string(&question.settings).unwrap_or_else(|_| "{}".into()),
            condition_question_id: condition.map(|c| c.question_id),
            condition_op: condition.map(|c| c.op.code()),
            condition_values: condition.map(|c| c.values.join("\n")).unwrap_or_default(),
            profile: question.profile,
        }
    }
}

/// Adds a question at the end. Call it inside `storage::write_transaction` (the position is read, then written).
pub fn add_question(conn: &mut DbConnection, questionnaire_id: i64, question: &Question) -> QueryResult<i64> {
    let last: Option<i32> = questions::table
        .filter(questions::questionnaire_id.eq(questionnaire_id))
        .select(diesel::dsl::max(questions::position))
        .first(conn)?;
    let id = diesel::insert_into(questions::table)
        .values((
            questions::questionnaire_id.eq(questionnaire_id),
            questions::position.eq(last.unwrap_or(0) + 1),
            QuestionContent::of(question),
        ))
        .returning(questions::id)
        .get_result(conn)?;
    touch(conn, questionnaire_id)?;
    Ok(id)
}

/// Whether a question has answers: then changes that would orphan them are refused.
pub fn is_answered(conn: &mut DbConnection, question_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(answers::table.filter(answers::question_id.eq(question_id)))).get_result(conn)
}

/// Replaces a question's content, keeping its place. The caller checked `domain::questionnaire::orphaning_change`
/// against `is_answered` in the same transaction. Call it inside `storage::write_transaction`.
pub fn update_question(conn: &mut DbConnection, questionnaire_id: i64, question: &Question) -> QueryResult<bool> {
    let updated = diesel::update(
        questions::table.filter(questions::id.eq(question.id)).filter(questions::questionnaire_id.eq(questionnaire_id)),
    )
    .set(QuestionContent::of(question))
    .execute(conn)?;
    if updated > 0 {
        touch(conn, questionnaire_id)?;
    }
    Ok(updated > 0)
}

/// Marks a questionnaire changed: its questions are read again (`web::cache::QuestionCache`) and its public page
/// is rendered again (`web::cache::PageCache`) from the first request after the commit.
fn touch(conn: &mut DbConnection, questionnaire_id: i64) -> QueryResult<()> {
    diesel::update(questionnaires::table.find(questionnaire_id))
        .set(questionnaires::updated_at.eq(now()))
        .execute(conn)?;
    super::activity::public_content_changed(conn)
}

#[derive(Debug, PartialEq, Eq)]
pub enum RemoveOutcome {
    Removed,
    /// Answers exist: removing the question would orphan them.
    HasAnswers(i64),
    NotFound,
}

/// Removes a question that has no answers yet (conditions that pointed at it are dropped by the database).
/// Call it inside `storage::write_transaction`.
pub fn remove_question(conn: &mut DbConnection, questionnaire_id: i64, question_id: i64) -> QueryResult<RemoveOutcome> {
    let answered: i64 = answers::table.filter(answers::question_id.eq(question_id)).count().get_result(conn)?;
    if answered > 0 {
        return Ok(RemoveOutcome::HasAnswers(answered));
    }
    let removed = diesel::delete(
        questions::table.filter(questions::id.eq(question_id)).filter(questions::questionnaire_id.eq(questionnaire_id)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Ok(RemoveOutcome::NotFound);
    }
    touch(conn, questionnaire_id)?;
    Ok(RemoveOutcome::Removed)
}

/// Moves a question one place up or down, swapping positions with its neighbour; false if it cannot move. A
/// question never moves above the one its condition reads. Call it inside `storage::write_transaction`.
pub fn move_question(conn: &mut DbConnection, questionnaire_id: i64, question_id: i64, up: bool) -> QueryResult<bool> {
    let order: Vec<(i64, i32, Option<i64>)> = questions::table
        .filter(questions::questionnaire_id.eq(questionnaire_id))
        .order((questions::position.asc(), questions::id.asc()))
        .select((questions::id, questions::position, questions::condition_question_id))
        .load(conn)?;
    let Some(index) = order.iter().position(|(id, _, _)| *id == question_id) else { return Ok(false) };
    let other = if up { index.checked_sub(1) } else { Some(index + 1).filter(|i| *i < order.len()) };
    let Some(other) = other else { return Ok(false) };
    let (moved, neighbour) = (order[index], order[other]);
    // After the swap, the one that comes first must not read the other's answer.
    let (first, second) = if up { (moved, neighbour) } else { (neighbour, moved) };
    if first.2 == Some(second.0) {
        return Ok(false);
    }
    // Positions are distinct (each question is added after the last): swapping them keeps them so.
    diesel::update(questions::table.find(moved.0)).set(questions::position.eq(neighbour.1)).execute(conn)?;
    diesel::update(questions::table.find(neighbour.0)).set(questions::position.eq(moved.1)).execute(conn)?;
    touch(conn, questionnaire_id)?;
    Ok(true)
}

/// How a response was collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Online,
    Interview,
    Paper,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Online, Channel::Interview, Channel::Paper];

    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Online => "en ligne",
            Channel::Interview => "entretien",
            Channel::Paper => "papier",
        }
    }

    /// How responses were collected, after « recueillies »: « par entretien ».
    pub fn collected(self) -> &'static str {
        match self {
            Channel::Online => "en ligne",
            Channel::Interview => "par entretien",
            Channel::Paper => "sur papier",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Interview => "interview",
            Channel::Paper => "paper",
        }
    }
}

/// Who recorded a response on behalf of an inhabitant, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    pub interviewer_id: i64,
    /// "face_to_face" or "phone" for an interview; None for a paper form.
    pub interview_mode: Option<&'static str>,
    pub place: Option<String>,
}

/// Records a response and its answers, all or nothing; `recording` is None online. Call it inside
/// `storage::write_transaction`.
pub fn record_response(
    conn: &mut DbConnection,
    questionnaire_id: i64,
    channel: Channel,
    recording: Option<&Recording>,
    items: &[(i64, AnswerItem)],
) -> QueryResult<i64> {
    let response_id: i64 = diesel::insert_into(responses::table)
        .values((
            responses::questionnaire_id.eq(questionnaire_id),
            responses::channel.eq(channel.code()),
            responses::interviewer_id.eq(recording.map(|r| r.interviewer_id)),
            responses::interview_mode.eq(recording.and_then(|r| r.interview_mode)),
            responses::place.eq(recording.and_then(|r| r.place.as_deref())),
            responses::submitted_at.eq(now()),
        ))
        .returning(responses::id)
        .get_result(conn)?;
    // One row at a time: diesel's MultiConnection has no batch insert on SQLite
    // (docs/product.md § Architecture decisions).
    for (question_id, (item, value)) in items {
        diesel::insert_into(answers::table)
            .values((
                answers::response_id.eq(response_id),
                answers::question_id.eq(question_id),
                answers::item.eq(item),
                answers::value.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(response_id)
}

pub fn count_responses(conn: &mut DbConnection, questionnaire_id: i64) -> QueryResult<i64> {
    responses::table.filter(responses::questionnaire_id.eq(questionnaire_id)).count().get_result(conn)
}

/// The answers of one response, in long form.
pub fn answers_of_response(conn: &mut DbConnection, response_id: i64) -> QueryResult<Vec<(i64, AnswerItem)>> {
    let rows: Vec<(i64, String, String)> = answers::table
        .filter(answers::response_id.eq(response_id))
        .select((answers::question_id, answers::item, answers::value))
        .order((answers::question_id, answers::item, answers::value))
        .load(conn)?;
    Ok(rows.into_iter().map(|(q, item, value)| (q, (item, value))).collect())
}

/// Which responses the results count: all, or those of one channel, or those that gave one profile answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseFilter {
    pub channel: Option<Channel>,
    /// (profile question, value): responses whose answer to that question includes the value.
    pub profile: Option<(i64, String)>,
}

diesel::alias!(answers as profile_answers: ProfileAnswers);

/// Applies a `ResponseFilter` to a boxed query over answers joined with responses.
macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let mut query = $query;
        if let Some(channel) = $filter.channel {
            query = query.filter(responses::channel.eq(channel.code()));
        }
        if let Some((question_id, value)) = &$filter.profile {
            query = query.filter(
                responses::id.eq_any(
                    profile_answers
                        .filter(profile_answers.field(answers::question_id).eq(*question_id))
                        .filter(profile_answers.field(answers::item).eq(""))
                        .filter(profile_answers.field(answers::value).eq(value.clone()))
                        .select(profile_answers.field(answers::response_id)),
                ),
            );
        }
        query
    }};
}

/// Every (question, item, value) of a questionnaire's answers with how many responses gave it, for the responses
/// the filter keeps: one grouped read for the results page.
pub fn answer_counts(
    conn: &mut DbConnection,
    questionnaire_id: i64,
    filter: &ResponseFilter,
) -> QueryResult<Vec<(i64, String, String, i64)>> {
    let query = answers::table
        .inner_join(responses::table)
        .filter(responses::questionnaire_id.eq(questionnaire_id))
        .group_by((answers::question_id, answers::item, answers::value))
        .select((answers::question_id, answers::item, answers::value, diesel::dsl::count_star()))
        .into_boxed();
    filtered!(query, filter).load(conn)
}

/// How many responses answered each question of a questionnaire (of those the filter keeps).
pub fn respondents_per_question(
    conn: &mut DbConnection,
    questionnaire_id: i64,
    filter: &ResponseFilter,
) -> QueryResult<Vec<(i64, i64)>> {
    let query = answers::table
        .inner_join(responses::table)
        .filter(responses::questionnaire_id.eq(questionnaire_id))
        .group_by(answers::question_id)
        .select((answers::question_id, diesel::dsl::count(answers::response_id).aggregate_distinct()))
        .into_boxed();
    filtered!(query, filter).load(conn)
}

/// How many responses the filter keeps.
pub fn count_filtered(conn: &mut DbConnection, questionnaire_id: i64, filter: &ResponseFilter) -> QueryResult<i64> {
    let query = responses::table.filter(responses::questionnaire_id.eq(questionnaire_id)).count().into_boxed();
    filtered!(query, filter).get_result(conn)
}

/// Who collected a questionnaire's responses: (channel, interviewer's name or None online, responses), most first.
pub fn collection_breakdown(
    conn: &mut DbConnection,
    questionnaire_id: i64,
) -> QueryResult<Vec<(String, Option<String>, i64)>> {
    let grouped: Vec<(String, Option<i64>, i64)> = responses::table
        .filter(responses::questionnaire_id.eq(questionnaire_id))
        .group_by((responses::channel, responses::interviewer_id))
        .select((responses::channel, responses::interviewer_id, diesel::dsl::count_star()))
        .load(conn)?;
    let ids: Vec<i64> = grouped.iter().filter_map(|(_, id, _)| *id).collect();
    let names = super::users::names_of(conn, &ids)?;
    let mut rows: Vec<(String, Option<String>, i64)> = grouped
        .into_iter()
        .map(|(channel, id, n)| {
            let name = id.and_then(|id| names.iter().find(|(u, _)| *u == id).map(|(_, name)| name.clone()));
            (channel, name, n)
        })
        .collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    Ok(rows)
}

/// A response as the export lists it: how it was collected, where, and by whom.
#[derive(Debug, Clone, Queryable)]
pub struct ResponseHeader {
    pub id: i64,
    pub channel: String,
    pub interviewer_id: Option<i64>,
    /// "face_to_face" or "phone" for an interview.
    pub interview_mode: Option<String>,
    pub place: Option<String>,
    pub submitted_at: NaiveDateTime,
}

/// A page of a questionnaire's responses after `after_id`, in id order. The export reads them page by page so
/// that its memory does not grow with the number of responses.
pub fn responses_after(
    conn: &mut DbConnection,
    questionnaire_id: i64,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<ResponseHeader>> {
    responses::table
        .filter(responses::questionnaire_id.eq(questionnaire_id))
        .filter(responses::id.gt(after_id))
        .order(responses::id.asc())
        .select((
            responses::id,
            responses::channel,
            responses::interviewer_id,
            responses::interview_mode,
            responses::place,
            responses::submitted_at,
        ))
        .limit(limit)
        .load(conn)
}

/// The answers of the given responses, as (response, question, item, value), by response.
pub fn answers_of_responses(
    conn: &mut DbConnection,
    response_ids: &[i64],
) -> QueryResult<Vec<(i64, i64, String, String)>> {
    answers::table
        .filter(answers::response_id.eq_any(response_ids))
        .order(answers::response_id.asc())
        .select((answers::response_id, answers::question_id, answers::item, answers::value))
        .load(conn)
}

/// How many responses of a questionnaire this person recorded (interviews and paper forms).
pub fn count_recorded_by(conn: &mut DbConnection, questionnaire_id: i64, user_id: i64) -> QueryResult<i64> {
    responses::table
        .filter(responses::questionnaire_id.eq(questionnaire_id))
        .filter(responses::interviewer_id.eq(user_id))
        .count()
        .get_result(conn)
}

/// Copies a questionnaire and its questions (conditions pointing at the copies) to another territory of the same
/// project; answers stay with the original. Call it inside `storage::write_transaction`.
pub fn copy_questionnaire(
    conn: &mut DbConnection,
    source: &Questionnaire,
    collectivity_id: i64,
    public_token: &str,
    user_id: i64,
) -> QueryResult<i64> {
    let header = NewQuestionnaire {
        title: source.title.clone(),
        introduction: source.introduction.clone(),
        opens_on: source.opens_on,
        closes_on: source.closes_on,
    };
    let copy = create_questionnaire(conn, source.project_id, collectivity_id, &header, public_token, user_id)?;
    let questions = questions_of(conn, source.id)?;
    add_questions(conn, copy, &questions)?;
    Ok(copy)
}

/// Adds questions in their order, the conditions of each pointing at the stored ids of the earlier ones (a
/// condition on a question not among them is dropped). Call it inside `storage::write_transaction`.
pub fn add_questions(conn: &mut DbConnection, questionnaire_id: i64, questions: &[Question]) -> QueryResult<()> {
    let mut new_ids: Vec<(i64, i64)> = Vec::new();
    for question in questions {
        let mut question = question.clone();
        if let Some(condition) = question.condition.as_mut() {
            match new_ids.iter().find(|(old, _)| *old == condition.question_id) {
                Some((_, new)) => condition.question_id = *new,
                None => question.condition = None,
            }
        }
        new_ids.push((question.id, add_question(conn, questionnaire_id, &question)?));
    }
    Ok(())
}

/// Keeps a respondent's address to tell them what came of the survey; only the day is recorded, so that the
/// address cannot be matched with a response by its time. Asking twice keeps one. Call it inside
/// `storage::write_transaction`.
pub fn add_feedback_contact(conn: &mut DbConnection, questionnaire_id: i64, email: &str) -> QueryResult<()> {
    // In a savepoint: on PostgreSQL a refused INSERT would otherwise abort the whole transaction.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(feedback_contacts::table)
            .values((
                feedback_contacts::questionnaire_id.eq(questionnaire_id),
                feedback_contacts::email.eq(email),
                feedback_contacts::created_at.eq(now().date()),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) | Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The addresses of those who asked to be told what came of the survey, alphabetically.
pub fn feedback_contacts_of(conn: &mut DbConnection, questionnaire_id: i64) -> QueryResult<Vec<String>> {
    feedback_contacts::table
        .filter(feedback_contacts::questionnaire_id.eq(questionnaire_id))
        .select(feedback_contacts::email)
        .order(feedback_contacts::email.asc())
        .load(conn)
}

/// The coverage targets of a questionnaire's profile questions: (question, value, respondents wanted).
pub fn targets_of(conn: &mut DbConnection, questionnaire_id: i64) -> QueryResult<Vec<(i64, String, i32)>> {
    coverage_targets::table
        .inner_join(questions::table)
        .filter(questions::questionnaire_id.eq(questionnaire_id))
        .select((coverage_targets::question_id, coverage_targets::value, coverage_targets::target))
        .order((questions::position.asc(), coverage_targets::value.asc()))
        .load(conn)
}

/// Replaces the targets of a questionnaire's profile questions by `targets` (values checked by the caller).
/// Call it inside `storage::write_transaction`.
pub fn set_targets(conn: &mut DbConnection, questionnaire_id: i64, targets: &[(i64, String, i32)]) -> QueryResult<()> {
    let own = questions::table.filter(questions::questionnaire_id.eq(questionnaire_id)).select(questions::id);
    diesel::delete(coverage_targets::table.filter(coverage_targets::question_id.eq_any(own))).execute(conn)?;
    for (question_id, value, target) in targets {
        diesel::insert_into(coverage_targets::table)
            .values((
                coverage_targets::question_id.eq(question_id),
                coverage_targets::value.eq(value),
                coverage_targets::target.eq(target),
            ))
            .execute(conn)?;
    }
    touch(conn, questionnaire_id)
}

/// The respondents who gave one profile answer, by way of collecting.
#[derive(Debug, Clone, Queryable)]
pub struct Reach {
    pub question_id: i64,
    pub value: String,
    pub channel: String,
    /// None: answered online by the respondents themselves.
    pub interviewer_id: Option<i64>,
    pub responses: i64,
}

/// Who was reached, by profile answer, in one grouped read.
pub fn profile_reach(conn: &mut DbConnection, questionnaire_id: i64) -> QueryResult<Vec<Reach>> {
    answers::table
        .inner_join(responses::table)
        .inner_join(questions::table)
        .filter(responses::questionnaire_id.eq(questionnaire_id))
        .filter(questions::profile.eq(true))
        .filter(answers::item.eq(""))
        .group_by((answers::question_id, answers::value, responses::channel, responses::interviewer_id))
        .select((
            answers::question_id,
            answers::value,
            responses::channel,
            responses::interviewer_id,
            diesel::dsl::count_star(),
        ))
        .load(conn)
}

/// Whether the questionnaire takes answers only through single-use invitations.
pub fn set_invitation_only(conn: &mut DbConnection, questionnaire_id: i64, only: bool) -> QueryResult<()> {
    diesel::update(questionnaires::table.find(questionnaire_id))
        .set(questionnaires::invitation_only.eq(only))
        .execute(conn)?;
    touch(conn, questionnaire_id)
}

/// Stores new single-use invitations. Call it inside `storage::write_transaction`.
pub fn create_invitations(conn: &mut DbConnection, questionnaire_id: i64, tokens: &[String]) -> QueryResult<()> {
    let at = now();
    for token in tokens {
        diesel::insert_into(survey_invitations::table)
            .values((
                survey_invitations::token.eq(token),
                survey_invitations::questionnaire_id.eq(questionnaire_id),
                survey_invitations::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A questionnaire's invitations, oldest first: (token, used at).
pub fn invitations_of(
    conn: &mut DbConnection,
    questionnaire_id: i64,
) -> QueryResult<Vec<(String, Option<NaiveDateTime>)>> {
    survey_invitations::table
        .filter(survey_invitations::questionnaire_id.eq(questionnaire_id))
        .order((survey_invitations::created_at.asc(), survey_invitations::token.asc()))
        .select((survey_invitations::token, survey_invitations::used_at))
        .load(conn)
}

/// An invitation of this questionnaire: None when there is no such invitation, else when it was used (None if
/// not yet).
pub fn find_invitation(
    conn: &mut DbConnection,
    questionnaire_id: i64,
    token: &str,
) -> QueryResult<Option<Option<NaiveDateTime>>> {
    survey_invitations::table
        .filter(survey_invitations::token.eq(token))
        .filter(survey_invitations::questionnaire_id.eq(questionnaire_id))
        .select(survey_invitations::used_at)
        .first(conn)
        .optional()
}

/// Uses an invitation, once: false when it is unknown or already used. The conditional update is what makes two
/// simultaneous submissions with the same invitation record one response, not two. Call it inside the
/// `storage::write_transaction` that records the response.
pub fn use_invitation(conn: &mut DbConnection, questionnaire_id: i64, token: &str) -> QueryResult<bool> {
    let used = diesel::update(
        survey_invitations::table
            .filter(survey_invitations::token.eq(token))
            .filter(survey_invitations::questionnaire_id.eq(questionnaire_id))
            .filter(survey_invitations::used_at.is_null()),
    )
    .set(survey_invitations::used_at.eq(now()))
    .execute(conn)?;
    Ok(used == 1)
}

/// The questionnaires of a project that bear this title, one per territory at most in practice (a questionnaire
/// and its copies), oldest first: what the comparison across territories puts side by side.
pub fn same_questionnaire_in_project(
    conn: &mut DbConnection,
    project_id: i64,
    title: &str,
) -> QueryResult<Vec<Questionnaire>> {
    questionnaires::table
        .filter(questionnaires::project_id.eq(project_id))
        .filter(questionnaires::title.eq(title))
        .order(questionnaires::id.asc())
        .load(conn)
}
