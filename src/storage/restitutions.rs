//! The restitution of each participant territory (`domain::restitution`): its texts, the questions whose results
//! it shows, the free answers it quotes, its publication, and telling the respondents who left an address — once
//! each, then forgetting the address.
//!
//! Every write starts by locking the restitution's row (`lock_restitution`), so that a save, a choice of quote and
//! the publication never cross, and two instances telling the respondents of one restitution at once tell each
//! respondent once.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::diagnostic::Place;
use super::schema::{
    answers, feedback_contacts, phase_transitions, projects, questionnaires, questions, reach_publics, responses,
    restitution_questions, restitution_quotes, restitution_reach, restitutions,
};
use super::{insert_once, lock_or_create, now, DbConnection, DbError, QueryResult};
use crate::domain::activity::ActivityKind;
use crate::domain::questionnaire::QuestionType;
use crate::domain::restitution::{Category, Channel, NewReach, RestitutionTexts, Stage};

#[derive(Debug, Clone, Queryable)]
pub struct Restitution {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub heard: String,
    pub figures: String,
    pub decided: String,
    pub next_steps: String,
    pub involved: String,
    pub revision: i32,
    pub published_at: Option<NaiveDateTime>,
    pub published_by: Option<i64>,
    /// How many respondents were written to.
    pub told: i32,
    pub updated_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

impl Restitution {
    pub fn place(&self) -> Place {
        Place { project_id: self.project_id, collectivity_id: self.collectivity_id }
    }

    pub fn texts(&self) -> RestitutionTexts {
        RestitutionTexts {
            heard: self.heard.clone(),
            figures: self.figures.clone(),
            decided: self.decided.clone(),
            next_steps: self.next_steps.clone(),
            involved: self.involved.clone(),
        }
    }

    pub fn stage(&self) -> Stage {
        if self.published_at.is_some() {
            Stage::Published
        } else {
            Stage::Draft
        }
    }
}

/// The territory's restitution, if it was ever written to.
pub fn find_restitution(conn: &mut DbConnection, place: Place) -> QueryResult<Option<Restitution>> {
    restitutions::table
        .filter(restitutions::project_id.eq(place.project_id))
        .filter(restitutions::collectivity_id.eq(place.collectivity_id))
        .first(conn)
        .optional()
}

/// The territory's restitution, created (empty, a draft) the first time it is written to. Call it inside
/// `storage::write_transaction`: the row is then locked for the rest of the transaction.
pub fn lock_restitution(conn: &mut DbConnection, place: Place, by: Option<i64>) -> QueryResult<Restitution> {
    lock_or_create(
        conn,
        |conn| {
            diesel::update(
                restitutions::table
                    .filter(restitutions::project_id.eq(place.project_id))
                    .filter(restitutions::collectivity_id.eq(place.collectivity_id)),
            )
            .set(restitutions::revision.eq(restitutions::revision))
            .execute(conn)
        },
        |conn| {
            diesel::insert_into(restitutions::table)
                .values((
                    restitutions::project_id.eq(place.project_id),
                    restitutions::collectivity_id.eq(place.collectivity_id),
                    restitutions::updated_by.eq(by),
                    restitutions::updated_at.eq(now()),
                ))
                .execute(conn)
        },
    )?;
    find_restitution(conn, place)?.ok_or(DbError::NotFound)
}

/// An entry of the project's activity about a territory's restitution: public once it is published.
fn record(
    conn: &mut DbConnection,
    place: Place,
    by: i64,
    kind: ActivityKind,
    public: bool,
    summary: String,
) -> QueryResult<()> {
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(by),
            kind,
            theme_id: None,
            collectivity_id: Some(place.collectivity_id),
            project_id: Some(place.project_id),
            is_public: public && kind.may_be_public(),
            summary,
        },
    )
}

/// What saving the texts did.
#[derive(Debug)]
pub enum Saved {
    Saved,
    /// These texts were saved already (a double click, a second tab): nothing is written.
    Unchanged,
    /// Someone saved since the form was read: nothing was written; this is their version.
    Stale(Box<Restitution>),
}

/// Saves the texts, if the form was read at the current revision. Call it inside `storage::write_transaction`.
pub fn save_texts(
    conn: &mut DbConnection,
    place: Place,
    texts: &RestitutionTexts,
    read_at: i32,
    by: i64,
    territory: &str,
) -> QueryResult<Saved> {
    let current = lock_restitution(conn, place, Some(by))?;
    if current.texts() == *texts {
        return Ok(Saved::Unchanged);
    }
    if current.revision != read_at {
        return Ok(Saved::Stale(Box::new(current)));
    }
    diesel::update(restitutions::table.find(current.id))
        .set((
            restitutions::heard.eq(&texts.heard),
            restitutions::figures.eq(&texts.figures),
            restitutions::decided.eq(&texts.decided),
            restitutions::next_steps.eq(&texts.next_steps),
            restitutions::involved.eq(&texts.involved),
            restitutions::revision.eq(current.revision + 1),
            restitutions::updated_by.eq(Some(by)),
            restitutions::updated_at.eq(now()),
        ))
        .execute(conn)?;
    // A published page changes for everyone: the entry raises the content version, so no instance serves it stale.
    record(
        conn,
        place,
        by,
        ActivityKind::RestitutionUpdated,
        false,
        format!("La restitution aux habitants {territory} est mise à jour."),
    )?;
    Ok(Saved::Saved)
}

/// A question a restitution may show: one of the territory's published questionnaires, not a section.
#[derive(Debug, Clone, Queryable)]
pub struct ShowableQuestion {
    pub id: i64,
    pub questionnaire_id: i64,
    pub questionnaire: String,
    pub label: String,
    pub kind: String,
}

impl ShowableQuestion {
    /// Whether a restitution may show its results: a question with figures. Free answers reach a restitution only
    /// as quotes its group chose, never as a whole.
    pub fn has_figures(&self) -> bool {
        QuestionType::parse(&self.kind).is_ok_and(|k| k.is_answerable() && !FREE_KINDS.contains(&k))
    }
}

/// The questions of the territory's questionnaires, questionnaire by questionnaire, in their order.
pub fn showable_questions(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<ShowableQuestion>> {
    questions::table
        .inner_join(questionnaires::table)
        .filter(questionnaires::project_id.eq(place.project_id))
        .filter(questionnaires::collectivity_id.eq(place.collectivity_id))
        .filter(questionnaires::draft.eq(false))
        .filter(questions::kind.ne(QuestionType::Section.code()))
        .order((questionnaires::id.asc(), questions::position.asc()))
        .select((questions::id, questionnaires::id, questionnaires::title, questions::label, questions::kind))
        .load(conn)
}

/// The questions a restitution shows, in its order.
pub fn shown_questions(conn: &mut DbConnection, restitution_id: i64) -> QueryResult<Vec<i64>> {
    restitution_questions::table
        .filter(restitution_questions::restitution_id.eq(restitution_id))
        .order(restitution_questions::position.asc())
        .select(restitution_questions::question_id)
        .load(conn)
}

/// Sets the questions shown, in this order: only questions with figures of `showable_questions` are kept (the
/// caller refuses others; read again here). Call it inside `storage::write_transaction`.
pub fn set_questions(conn: &mut DbConnection, place: Place, ids: &[i64], by: i64) -> QueryResult<()> {
    let restitution = lock_restitution(conn, place, Some(by))?;
    let showable: Vec<i64> =
        showable_questions(conn, place)?.into_iter().filter(ShowableQuestion::has_figures).map(|q| q.id).collect();
    diesel::delete(restitution_questions::table.filter(restitution_questions::restitution_id.eq(restitution.id)))
        .execute(conn)?;
    for (position, id) in ids.iter().filter(|id| showable.contains(id)).enumerate() {
        diesel::insert_into(restitution_questions::table)
            .values((
                restitution_questions::restitution_id.eq(restitution.id),
                restitution_questions::question_id.eq(id),
                restitution_questions::position.eq(position as i32),
            ))
            .execute(conn)?;
    }
    touch(conn, &restitution, by)
}

/// Marks a change of what the restitution shows (its revision, for forms read before; the content version, for
/// its public page).
fn touch(conn: &mut DbConnection, restitution: &Restitution, by: i64) -> QueryResult<()> {
    diesel::update(restitutions::table.find(restitution.id))
        .set((restitutions::updated_by.eq(Some(by)), restitutions::updated_at.eq(now())))
        .execute(conn)?;
    super::activity::public_content_changed(conn)
}

/// The territory's figures a restitution may quote as key figures, as « valeur ; ce qu’elle dit » lines: its
/// respondents, what its diagnostic mapped and gathered, its creativity cycle — only those above zero.
pub fn suggested_figures(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<String>> {
    use crate::domain::diagnostic::{EntryKind, Status};
    let mut questionnaire_ids: Vec<i64> = questionnaires::table
        .filter(questionnaires::project_id.eq(place.project_id))
        .filter(questionnaires::collectivity_id.eq(place.collectivity_id))
        .select(questionnaires::id)
        .load(conn)?;
    questionnaire_ids.sort();
    let respondents: i64 =
        responses::table.filter(responses::questionnaire_id.eq_any(&questionnaire_ids)).count().get_result(conn)?;
    let entries = super::diagnostic::entries_of_territory(conn, place)?;
    let published =
        |kind: EntryKind| entries.iter().filter(|e| e.kind() == kind && e.status() == Status::Published).count();
    let sources = super::diagnostic::sources_of_territory(conn, place)?
        .iter()
        .filter(|s| s.status() == Status::Published)
        .count();
    let ideas = super::codesign::ideas_of(conn, place)?.len();
    let workshops = super::codesign::workshops_of(conn, place)?.len();
    let lines = [
        (respondents as usize, "habitants ont répondu aux questionnaires"),
        (published(EntryKind::Actor), "acteurs du territoire repérés par le diagnostic"),
        (published(EntryKind::Space), "lieux où l’on s’engage repérés"),
        (sources, "études, entretiens et observations rassemblés"),
        (workshops, "ateliers pour imaginer les actions"),
        (ideas, "idées proposées en atelier"),
    ];
    Ok(lines.into_iter().filter(|(n, _)| *n > 0).map(|(n, label)| format!("{n} ; {label}")).collect())
}

/// A free answer of the territory's questionnaires, as the group reads them to choose quotes.
#[derive(Debug, Clone)]
pub struct FreeAnswer {
    pub response_id: i64,
    pub question_id: i64,
    pub question: String,
    pub text: String,
    pub submitted_at: NaiveDateTime,
}

const FREE_KINDS: [QuestionType; 2] = [QuestionType::ShortText, QuestionType::LongText];

/// Every free answer (short and long texts) of the territory's published questionnaires, newest first.
pub fn free_answers(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<FreeAnswer>> {
    let rows: Vec<(i64, i64, String, String, NaiveDateTime)> = answers::table
        .inner_join(responses::table)
        .inner_join(questions::table.inner_join(questionnaires::table))
        .filter(questionnaires::project_id.eq(place.project_id))
        .filter(questionnaires::collectivity_id.eq(place.collectivity_id))
        .filter(questions::kind.eq_any(FREE_KINDS.map(QuestionType::code)))
        .filter(answers::item.eq(""))
        .order((responses::submitted_at.desc(), answers::response_id.desc(), questions::position.asc()))
        .select((answers::response_id, answers::question_id, questions::label, answers::value, responses::submitted_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(response_id, question_id, question, text, submitted_at)| FreeAnswer {
            response_id,
            question_id,
            question,
            text,
            submitted_at,
        })
        .collect())
}

#[derive(Debug, Clone, Queryable)]
pub struct Quote {
    pub id: i64,
    pub restitution_id: i64,
    pub response_id: i64,
    pub question_id: i64,
    pub original: String,
    pub text: String,
    pub position: i32,
    pub chosen_by: Option<i64>,
    pub chosen_at: NaiveDateTime,
}

pub fn quotes_of(conn: &mut DbConnection, restitution_id: i64) -> QueryResult<Vec<Quote>> {
    restitution_quotes::table
        .filter(restitution_quotes::restitution_id.eq(restitution_id))
        .order((restitution_quotes::position.asc(), restitution_quotes::id.asc()))
        .load(conn)
}

/// What choosing a quote did.
#[derive(Debug, PartialEq, Eq)]
pub enum Chosen {
    Chosen,
    /// It was chosen before (a double click): nothing more is written.
    Already,
    /// Not a free answer of this territory's questionnaires.
    NotAnAnswer,
}

/// Quotes a free answer, as it was written. Call it inside `storage::write_transaction`.
pub fn choose_quote(
    conn: &mut DbConnection,
    place: Place,
    response_id: i64,
    question_id: i64,
    by: i64,
) -> QueryResult<Chosen> {
    let restitution = lock_restitution(conn, place, Some(by))?;
    let answer: Option<String> = answers::table
        .inner_join(questions::table.inner_join(questionnaires::table))
        .filter(answers::response_id.eq(response_id))
        .filter(answers::question_id.eq(question_id))
        .filter(answers::item.eq(""))
        .filter(questions::kind.eq_any(FREE_KINDS.map(QuestionType::code)))
        .filter(questionnaires::project_id.eq(place.project_id))
        .filter(questionnaires::collectivity_id.eq(place.collectivity_id))
        .select(answers::value)
        .first(conn)
        .optional()?;
    let Some(answer) = answer else { return Ok(Chosen::NotAnAnswer) };
    let position: Option<i32> = restitution_quotes::table
        .filter(restitution_quotes::restitution_id.eq(restitution.id))
        .select(diesel::dsl::max(restitution_quotes::position))
        .first(conn)?;
    let text: String = answer.chars().take(crate::domain::restitution::QUOTE_MAX).collect();
    let inserted = insert_once(conn, |conn| {
        diesel::insert_into(restitution_quotes::table)
            .values((
                restitution_quotes::restitution_id.eq(restitution.id),
                restitution_quotes::response_id.eq(response_id),
                restitution_quotes::question_id.eq(question_id),
                restitution_quotes::original.eq(&answer),
                restitution_quotes::text.eq(text.trim()),
                restitution_quotes::position.eq(position.map_or(0, |p| p + 1)),
                restitution_quotes::chosen_by.eq(Some(by)),
                restitution_quotes::chosen_at.eq(now()),
            ))
            .execute(conn)
    })?;
    if !inserted {
        return Ok(Chosen::Already);
    }
    touch(conn, &restitution, by)?;
    Ok(Chosen::Chosen)
}

/// Rewrites a quote as the page shows it (shortened, a name taken out); false when it is not this restitution's.
pub fn edit_quote(conn: &mut DbConnection, place: Place, quote_id: i64, text: &str, by: i64) -> QueryResult<bool> {
    let restitution = lock_restitution(conn, place, Some(by))?;
    let updated = diesel::update(
        restitution_quotes::table
            .filter(restitution_quotes::id.eq(quote_id))
            .filter(restitution_quotes::restitution_id.eq(restitution.id)),
    )
    .set(restitution_quotes::text.eq(text))
    .execute(conn)?;
    if updated == 1 {
        touch(conn, &restitution, by)?;
    }
    Ok(updated == 1)
}

/// Takes a quote off the page; false when it was not there (a double click).
pub fn remove_quote(conn: &mut DbConnection, place: Place, quote_id: i64, by: i64) -> QueryResult<bool> {
    let restitution = lock_restitution(conn, place, Some(by))?;
    let removed = diesel::delete(
        restitution_quotes::table
            .filter(restitution_quotes::id.eq(quote_id))
            .filter(restitution_quotes::restitution_id.eq(restitution.id)),
    )
    .execute(conn)?;
    if removed == 1 {
        touch(conn, &restitution, by)?;
    }
    Ok(removed == 1)
}

/// What publishing did.
#[derive(Debug, PartialEq, Eq)]
pub enum Published {
    /// Published now.
    Now,
    /// It was published before (a double click): nothing more is written.
    Already,
    /// What is missing, in French (« Et maintenant », the adopted plan…): nothing was written.
    Missing(Vec<String>),
}

/// Publishes the restitution: it becomes public and its publication a public entry of the project's activity
/// (for the digests of those who follow the project). Call it inside `storage::write_transaction`; the caller
/// then tells the respondents in the same transaction (`jobs::restitutions::tell_respondents`).
pub fn publish(conn: &mut DbConnection, place: Place, by: i64, territory: &str) -> QueryResult<Published> {
    let restitution = lock_restitution(conn, place, Some(by))?;
    if restitution.published_at.is_some() {
        return Ok(Published::Already);
    }
    let mut missing: Vec<String> = restitution.texts().missing().into_iter().map(str::to_owned).collect();
    if !super::plans::has_adopted_version(conn, place)? {
        missing.push("le plan d’action adopté par l’exécutif".to_owned());
    }
    if !missing.is_empty() {
        return Ok(Published::Missing(missing));
    }
    diesel::update(restitutions::table.find(restitution.id).filter(restitutions::published_at.is_null()))
        .set((restitutions::published_at.eq(Some(now())), restitutions::published_by.eq(Some(by))))
        .execute(conn)?;
    record(
        conn,
        place,
        by,
        ActivityKind::RestitutionPublished,
        true,
        format!("La restitution aux habitants {territory} est publiée : ce qui a été entendu, décidé, et la suite."),
    )?;
    Ok(Published::Now)
}

// ---------------------------------------------------------------------------------------------------------------
// Telling the respondents

/// The published restitutions whose territory's questionnaires hold addresses not written to yet.
pub fn restitutions_to_tell(conn: &mut DbConnection) -> QueryResult<Vec<Restitution>> {
    let places: Vec<(i64, i64)> = feedback_contacts::table
        .inner_join(questionnaires::table)
        .select((questionnaires::project_id, questionnaires::collectivity_id))
        .distinct()
        .load(conn)?;
    let mut out = Vec::new();
    for (project_id, collectivity_id) in places {
        if let Some(r) = find_restitution(conn, Place { project_id, collectivity_id })? {
            if r.published_at.is_some() {
                out.push(r);
            }
        }
    }
    Ok(out)
}

/// The addresses left on the territory's questionnaires, as stored (one per questionnaire where it was left).
pub fn addresses_to_tell(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<String>> {
    feedback_contacts::table
        .inner_join(questionnaires::table)
        .filter(questionnaires::project_id.eq(place.project_id))
        .filter(questionnaires::collectivity_id.eq(place.collectivity_id))
        .select(feedback_contacts::email)
        .order(feedback_contacts::email.asc())
        .load(conn)
}

/// Forgets the addresses written to, and counts them as told. Call it in the transaction that queued their
/// messages, after `lock_restitution`.
pub fn forget_told(
    conn: &mut DbConnection,
    restitution: &Restitution,
    addresses: &[String],
    told: usize,
) -> QueryResult<()> {
    let place = restitution.place();
    let of_territory: Vec<i64> = questionnaires::table
        .filter(questionnaires::project_id.eq(place.project_id))
        .filter(questionnaires::collectivity_id.eq(place.collectivity_id))
        .select(questionnaires::id)
        .load(conn)?;
    for chunk in addresses.chunks(500) {
        diesel::delete(
            feedback_contacts::table
                .filter(feedback_contacts::questionnaire_id.eq_any(&of_territory))
                .filter(feedback_contacts::email.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    diesel::update(restitutions::table.find(restitution.id))
        .set(restitutions::told.eq(restitutions::told + told as i32))
        .execute(conn)?;
    Ok(())
}

/// Every address respondents left, on any questionnaire (for the one-click unsubscribe, which names an address by
/// its keyed digest only).
pub fn all_feedback_addresses(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    feedback_contacts::table.select(feedback_contacts::email).distinct().load(conn)
}

/// Forgets an address everywhere it was left; how many rows went.
pub fn forget_address(conn: &mut DbConnection, address: &str) -> QueryResult<usize> {
    diesel::delete(feedback_contacts::table.filter(feedback_contacts::email.eq(address))).execute(conn)
}

/// Forgets the addresses left on the questionnaires of projects closed before `closed_before` (the retention
/// setting): kept for the restitution only, they are not kept once the project is over.
pub fn forget_after_closing(conn: &mut DbConnection, closed_before: NaiveDateTime) -> QueryResult<usize> {
    let closed: Vec<i64> = projects::table
        .inner_join(phase_transitions::table)
        .filter(projects::phase.eq("closed"))
        .filter(phase_transitions::to_phase.eq("closed"))
        .filter(phase_transitions::at.lt(closed_before))
        .select(projects::id)
        .distinct()
        .load(conn)?;
    if closed.is_empty() {
        return Ok(0);
    }
    diesel::delete(feedback_contacts::table.filter(
        feedback_contacts::questionnaire_id.eq_any(
            questionnaires::table.filter(questionnaires::project_id.eq_any(&closed)).select(questionnaires::id),
        ),
    ))
    .execute(conn)
}

// ---------------------------------------------------------------------------------------------------------------
// Who the restitution reached

#[derive(Debug, Clone, Queryable)]
pub struct ReachRow {
    pub id: i64,
    pub restitution_id: i64,
    pub event_id: Option<i64>,
    pub channel: String,
    pub label: String,
    pub happened_on: NaiveDate,
    pub reached: i32,
    pub note: String,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

impl ReachRow {
    pub fn channel(&self) -> Channel {
        Channel::parse(&self.channel).unwrap_or(Channel::Other)
    }
}

/// A record of reach with its counts per category.
pub type Reach = (ReachRow, Vec<(Category, i32)>);

/// Everything the restitution's meetings and channels reached, the latest first.
pub fn reach_of(conn: &mut DbConnection, restitution_id: i64) -> QueryResult<Vec<Reach>> {
    let rows: Vec<ReachRow> = restitution_reach::table
        .filter(restitution_reach::restitution_id.eq(restitution_id))
        .order((restitution_reach::happened_on.desc(), restitution_reach::id.desc()))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let publics: Vec<(i64, i64, String, i32)> = reach_publics::table
        .filter(reach_publics::reach_id.eq_any(&ids))
        .select((reach_publics::reach_id, reach_publics::question_id, reach_publics::value, reach_publics::reached))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let of_row = publics.iter().filter(|p| p.0 == row.id).map(|(_, q, v, n)| ((*q, v.clone()), *n)).collect();
            (row, of_row)
        })
        .collect())
}

/// Records who a meeting or a channel reached. What was recorded before — the same meeting, or the same channel,
/// place and day (a double click, a corrected count) — is recorded again, its counts replaced. Call it inside
/// `storage::write_transaction`.
pub fn record_reach(conn: &mut DbConnection, place: Place, reach: &NewReach, by: i64) -> QueryResult<i64> {
    let restitution = lock_restitution(conn, place, Some(by))?;
    let before: Option<i64> = match reach.event_id {
        Some(event) => restitution_reach::table
            .filter(restitution_reach::event_id.eq(event))
            .filter(restitution_reach::restitution_id.eq(restitution.id))
            .select(restitution_reach::id)
            .first(conn)
            .optional()?,
        None => restitution_reach::table
            .filter(restitution_reach::event_id.is_null())
            .filter(restitution_reach::restitution_id.eq(restitution.id))
            .filter(restitution_reach::channel.eq(reach.channel.code()))
            .filter(restitution_reach::label.eq(&reach.label))
            .filter(restitution_reach::happened_on.eq(reach.happened_on))
            .select(restitution_reach::id)
            .first(conn)
            .optional()?,
    };
    let values = (
        restitution_reach::channel.eq(reach.channel.code()),
        restitution_reach::label.eq(&reach.label),
        restitution_reach::happened_on.eq(reach.happened_on),
        restitution_reach::reached.eq(reach.reached),
        restitution_reach::note.eq(&reach.note),
        restitution_reach::recorded_by.eq(Some(by)),
        restitution_reach::recorded_at.eq(now()),
    );
    let id = match before {
        Some(id) => {
            diesel::update(restitution_reach::table.find(id)).set(values).execute(conn)?;
            diesel::delete(reach_publics::table.filter(reach_publics::reach_id.eq(id))).execute(conn)?;
            id
        }
        None => diesel::insert_into(restitution_reach::table)
            .values((
                restitution_reach::restitution_id.eq(restitution.id),
                restitution_reach::event_id.eq(reach.event_id),
                values,
            ))
            .returning(restitution_reach::id)
            .get_result(conn)?,
    };
    for ((question, value), n) in &reach.publics {
        diesel::insert_into(reach_publics::table)
            .values((
                reach_publics::reach_id.eq(id),
                reach_publics::question_id.eq(question),
                reach_publics::value.eq(value),
                reach_publics::reached.eq(n),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// Removes a record of reach; false when it was not there (a double click).
pub fn remove_reach(conn: &mut DbConnection, place: Place, reach_id: i64, by: i64) -> QueryResult<bool> {
    let restitution = lock_restitution(conn, place, Some(by))?;
    let removed = diesel::delete(
        restitution_reach::table
            .filter(restitution_reach::id.eq(reach_id))
            .filter(restitution_reach::restitution_id.eq(restitution.id)),
    )
    .execute(conn)?;
    Ok(removed == 1)
}

// ---------------------------------------------------------------------------------------------------------------
// Where each territory stands

/// The published restitutions, by id: the public API's list.
pub fn published(conn: &mut DbConnection) -> QueryResult<Vec<Restitution>> {
    restitutions::table.filter(restitutions::published_at.is_not_null()).order(restitutions::id.asc()).load(conn)
}

/// Where each territory's restitution stands, by collectivity (a territory missing has not started).
pub fn stages_of_project(
    conn: &mut DbConnection,
    project_id: i64,
) -> QueryResult<Vec<(i64, Stage, Option<NaiveDateTime>)>> {
    let rows: Vec<Restitution> = restitutions::table.filter(restitutions::project_id.eq(project_id)).load(conn)?;
    Ok(rows.into_iter().map(|r| (r.collectivity_id, r.stage(), r.published_at)).collect())
}

/// The active participants whose restitution is not published, by name (the phase guard of `restitution`).
pub fn territories_without_published_restitution(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<String>> {
    let published: Vec<i64> = restitutions::table
        .filter(restitutions::project_id.eq(project_id))
        .filter(restitutions::published_at.is_not_null())
        .select(restitutions::collectivity_id)
        .load(conn)?;
    Ok(super::projects::active_participant_names(conn, project_id)?
        .into_iter()
        .filter(|(id, _)| !published.contains(id))
        .map(|(_, name)| name)
        .collect())
}
