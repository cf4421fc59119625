//! Tables, written by hand: one schema serves both backends, so every column uses a type both map the same way
//! (`BigInt` ids, `Timestamp` in UTC, `Bool`).

diesel::table! {
    territories (id) {
        id -> BigInt,
        kind -> Text,
        code -> Text,
        name -> Text,
        search_name -> Text,
        epci_type -> Nullable<Text>,
        departement_code -> Nullable<Text>,
        region_code -> Nullable<Text>,
        epci_code -> Nullable<Text>,
        siren -> Nullable<Text>,
        postcodes -> Text,
        population -> Nullable<BigInt>,
        updated_at -> Timestamp,
        ept_code -> Nullable<Text>,
    }
}

diesel::table! {
    commune_codes (code) {
        code -> Text,
        commune_code -> Text,
        kind -> Text,
        name -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    territory_words (word, territory_id) {
        word -> Text,
        territory_id -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        is_agency_admin -> Bool,
        session_epoch -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    collectivities (id) {
        id -> BigInt,
        territory_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    memberships (id) {
        id -> BigInt,
        user_id -> BigInt,
        collectivity_id -> BigInt,
        function -> Text,
        is_referent -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    providers (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    provider_members (id) {
        id -> BigInt,
        user_id -> BigInt,
        provider_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        token_hash -> Text,
        email -> Text,
        collectivity_id -> Nullable<BigInt>,
        provider_id -> Nullable<BigInt>,
        function -> Nullable<Text>,
        is_referent -> Bool,
        invited_by -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        inquiry_member_id -> Nullable<BigInt>,
        working_member_id -> Nullable<BigInt>,
        delegation_member_id -> Nullable<BigInt>,
        steering_member_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        key -> Text,
        failed_at -> Timestamp,
    }
}

diesel::joinable!(collectivities -> territories (territory_id));
diesel::joinable!(territory_words -> territories (territory_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(memberships -> collectivities (collectivity_id));
diesel::joinable!(provider_members -> users (user_id));
diesel::joinable!(provider_members -> providers (provider_id));
diesel::joinable!(password_resets -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    territories,
    commune_codes,
    territory_words,
    users,
    collectivities,
    memberships,
    providers,
    provider_members,
    invitations,
    password_resets,
    login_failures,
    themes,
    theme_positions,
    theme_position_history,
    activity_log,
    inspiration_resources,
    inspiration_resource_themes,
    projects,
    enrolments,
    phase_transitions,
    events,
    event_registrations,
    posts,
    theme_area_counts,
    content_version,
    inquiry_members,
    questionnaires,
    questions,
    responses,
    answers,
    feedback_contacts,
    coverage_targets,
    survey_invitations,
);

diesel::table! {
    themes (id) {
        id -> BigInt,
        title -> Text,
        problem -> Text,
        why_it_matters -> Text,
        status -> Text,
        proposed_by -> BigInt,
        proposer_collectivity_id -> Nullable<BigInt>,
        merged_into_id -> Nullable<BigInt>,
        positions_count -> Integer,
        participate_count -> Integer,
        observe_count -> Integer,
        interested_count -> Integer,
        opened_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    theme_positions (id) {
        id -> BigInt,
        theme_id -> BigInt,
        collectivity_id -> BigInt,
        stakes -> Text,
        engagement -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    theme_position_history (id) {
        id -> BigInt,
        theme_id -> BigInt,
        collectivity_id -> BigInt,
        user_id -> BigInt,
        action -> Text,
        engagement -> Nullable<Text>,
        stakes -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    activity_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        kind -> Text,
        theme_id -> Nullable<BigInt>,
        collectivity_id -> Nullable<BigInt>,
        summary -> Text,
        project_id -> Nullable<BigInt>,
        is_public -> Bool,
        event_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(theme_positions -> themes (theme_id));
diesel::joinable!(theme_positions -> collectivities (collectivity_id));

diesel::table! {
    inspiration_resources (id) {
        id -> BigInt,
        title -> Text,
        summary -> Text,
        body -> Text,
        links -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    inspiration_resource_themes (resource_id, theme_id) {
        resource_id -> BigInt,
        theme_id -> BigInt,
    }
}

diesel::table! {
    projects (id) {
        id -> BigInt,
        theme_id -> BigInt,
        title -> Text,
        description -> Text,
        charter -> Text,
        min_participants -> Integer,
        max_participants -> Integer,
        active_participants -> Integer,
        phase -> Text,
        provider_id -> Nullable<BigInt>,
        starts_on -> Date,
        ends_on -> Date,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        programme_id -> Nullable<BigInt>,
        programme_version -> Nullable<Integer>,
        skipped_phases -> Text,
    }
}

diesel::table! {
    enrolments (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        role -> Text,
        status -> Text,
        charter_accepted_at -> Nullable<Timestamp>,
        enrolled_by -> BigInt,
        requested_at -> Timestamp,
        updated_at -> Timestamp,
        observes_while_waiting -> Bool,
    }
}

diesel::table! {
    phase_transitions (id) {
        id -> BigInt,
        project_id -> BigInt,
        from_phase -> Nullable<Text>,
        to_phase -> Text,
        note -> Text,
        user_id -> BigInt,
        at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        project_id -> BigInt,
        kind -> Text,
        title -> Text,
        description -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        place -> Nullable<Text>,
        online_url -> Nullable<Text>,
        collectivity_id -> Nullable<BigInt>,
        minutes -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        confirmed -> Bool,
    }
}

diesel::table! {
    event_registrations (id) {
        id -> BigInt,
        event_id -> BigInt,
        user_id -> BigInt,
        collectivity_id -> BigInt,
        registered_by -> BigInt,
        registered_at -> Timestamp,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        project_id -> BigInt,
        author_id -> BigInt,
        title -> Text,
        body -> Text,
        is_public -> Bool,
        created_at -> Timestamp,
    }
}

diesel::joinable!(inspiration_resource_themes -> inspiration_resources (resource_id));
diesel::joinable!(inspiration_resource_themes -> themes (theme_id));
diesel::joinable!(projects -> themes (theme_id));
diesel::joinable!(projects -> providers (provider_id));
diesel::joinable!(enrolments -> projects (project_id));
diesel::joinable!(enrolments -> collectivities (collectivity_id));
diesel::joinable!(phase_transitions -> projects (project_id));
diesel::joinable!(events -> projects (project_id));
diesel::joinable!(events -> collectivities (collectivity_id));
diesel::joinable!(event_registrations -> events (event_id));
diesel::joinable!(event_registrations -> collectivities (collectivity_id));
diesel::joinable!(posts -> projects (project_id));

diesel::table! {
    theme_area_counts (theme_id, region_code, kind) {
        theme_id -> BigInt,
        region_code -> Text,
        kind -> Text,
        positions_count -> Integer,
        participate_count -> Integer,
        observe_count -> Integer,
        interested_count -> Integer,
    }
}

diesel::joinable!(theme_area_counts -> themes (theme_id));

diesel::table! {
    content_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    inquiry_members (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        display_name -> Text,
        category -> Text,
        note -> Text,
        email -> Nullable<Text>,
        user_id -> Nullable<BigInt>,
        added_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(inquiry_members -> projects (project_id));
diesel::joinable!(inquiry_members -> collectivities (collectivity_id));

diesel::table! {
    questionnaires (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        title -> Text,
        introduction -> Text,
        public_token -> Text,
        opens_on -> Nullable<Date>,
        closes_on -> Nullable<Date>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        invitation_only -> Bool,
        draft -> Bool,
    }
}

diesel::table! {
    questions (id) {
        id -> BigInt,
        questionnaire_id -> BigInt,
        position -> Integer,
        kind -> Text,
        label -> Text,
        help -> Text,
        required -> Bool,
        settings -> Text,
        condition_question_id -> Nullable<BigInt>,
        condition_op -> Nullable<Text>,
        condition_values -> Text,
        profile -> Bool,
    }
}

diesel::table! {
    responses (id) {
        id -> BigInt,
        questionnaire_id -> BigInt,
        channel -> Text,
        interviewer_id -> Nullable<BigInt>,
        interview_mode -> Nullable<Text>,
        place -> Nullable<Text>,
        submitted_at -> Timestamp,
    }
}

diesel::table! {
    answers (response_id, question_id, item, value) {
        response_id -> BigInt,
        question_id -> BigInt,
        item -> Text,
        value -> Text,
    }
}

diesel::joinable!(questions -> questionnaires (questionnaire_id));
diesel::joinable!(responses -> questionnaires (questionnaire_id));
diesel::joinable!(answers -> responses (response_id));
diesel::joinable!(answers -> questions (question_id));
diesel::joinable!(feedback_contacts -> questionnaires (questionnaire_id));

diesel::table! {
    coverage_targets (question_id, value) {
        question_id -> BigInt,
        value -> Text,
        target -> Integer,
    }
}

diesel::table! {
    survey_invitations (token) {
        token -> Text,
        questionnaire_id -> BigInt,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(coverage_targets -> questions (question_id));
diesel::joinable!(survey_invitations -> questionnaires (questionnaire_id));

diesel::table! {
    feedback_contacts (questionnaire_id, email) {
        questionnaire_id -> BigInt,
        email -> Text,
        created_at -> Date,
    }
}

// Coverage counts profile answers by channel and interviewer in one grouped read.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    answers::question_id,
    answers::value,
    responses::channel,
    responses::interviewer_id,
);

diesel::table! {
    territory_boundaries (territory_id) {
        territory_id -> BigInt,
        geometry -> Text,
        min_lon -> Double,
        min_lat -> Double,
        max_lon -> Double,
        max_lat -> Double,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(territory_boundaries -> territories (territory_id));
diesel::allow_tables_to_appear_in_same_query!(territory_boundaries, territories);

diesel::table! {
    actor_families (id) {
        id -> BigInt,
        project_id -> BigInt,
        label -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    map_entries (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        kind -> Text,
        name -> Text,
        category -> Text,
        domain -> Text,
        description -> Text,
        publics -> Text,
        resources -> Text,
        engagement -> Text,
        contact -> Text,
        links -> Text,
        address -> Text,
        opening_hours -> Text,
        accessibility -> Text,
        lon -> Nullable<Double>,
        lat -> Nullable<Double>,
        commune_id -> Nullable<BigInt>,
        external_id -> Nullable<Text>,
        status -> Text,
        review_note -> Text,
        created_by -> Nullable<BigInt>,
        reviewed_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        epci_id -> Nullable<BigInt>,
        departement_code -> Nullable<Text>,
    }
}

diesel::table! {
    map_relations (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        from_id -> BigInt,
        to_id -> BigInt,
        kind -> Text,
        intensity -> Integer,
        note -> Text,
        status -> Text,
        review_note -> Text,
        created_by -> Nullable<BigInt>,
        reviewed_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    map_sources (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        kind -> Text,
        title -> Text,
        happened_on -> Nullable<Date>,
        people_met -> Text,
        notes -> Text,
        link -> Text,
        status -> Text,
        review_note -> Text,
        created_by -> Nullable<BigInt>,
        reviewed_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    source_mentions (source_id, entry_id) {
        source_id -> BigInt,
        entry_id -> BigInt,
    }
}

diesel::table! {
    pending_imports (id) {
        id -> BigInt,
        token -> Text,
        user_id -> BigInt,
        purpose -> Text,
        project_id -> Nullable<BigInt>,
        collectivity_id -> Nullable<BigInt>,
        file_name -> Text,
        content -> Text,
        created_at -> Timestamp,
        imported_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(source_mentions -> map_sources (source_id));
diesel::joinable!(source_mentions -> map_entries (entry_id));
diesel::allow_tables_to_appear_in_same_query!(source_mentions, map_sources, map_entries);
diesel::allow_tables_to_appear_in_same_query!(map_entries, territories);

diesel::table! {
    outbox_messages (id) {
        id -> BigInt,
        idempotency_key -> Text,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        unsubscribe_url -> Nullable<Text>,
        state -> Text,
        attempts -> Integer,
        last_error -> Text,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        calendar -> Nullable<Text>,
        forget_recipient -> Bool,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> BigInt,
        project_id -> Nullable<BigInt>,
        frequency -> Text,
        weekday -> Integer,
        last_activity_id -> BigInt,
        last_period -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        subscriber_id -> BigInt,
        theme_id -> Nullable<BigInt>,
        confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    subscribers (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        email -> Nullable<Text>,
        digests_prepared_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(subscriptions -> projects (project_id));
diesel::joinable!(subscriptions -> themes (theme_id));
diesel::joinable!(subscriptions -> subscribers (subscriber_id));
diesel::joinable!(subscribers -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(subscriptions, projects);
diesel::allow_tables_to_appear_in_same_query!(subscriptions, themes);
diesel::allow_tables_to_appear_in_same_query!(subscriptions, subscribers);
diesel::allow_tables_to_appear_in_same_query!(subscriptions, users);
diesel::allow_tables_to_appear_in_same_query!(subscribers, users);
diesel::allow_tables_to_appear_in_same_query!(subscribers, projects);
diesel::allow_tables_to_appear_in_same_query!(subscribers, themes);

diesel::table! {
    newsletters (id) {
        id -> BigInt,
        project_id -> BigInt,
        title -> Text,
        edito -> Text,
        theory -> Text,
        practice -> Text,
        territories -> Text,
        in_progress -> Text,
        upcoming -> Text,
        inspiration -> Text,
        to_participants -> Bool,
        to_observers -> Bool,
        to_followers -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        sent_by -> Nullable<BigInt>,
        recipients -> Integer,
    }
}

diesel::joinable!(newsletters -> projects (project_id));
diesel::allow_tables_to_appear_in_same_query!(newsletters, projects);

// The creativity cycle (migration co_design).

diesel::table! {
    co_design_frames (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        method -> Text,
        method_note -> Text,
        families -> Text,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    working_members (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        display_name -> Text,
        category -> Text,
        family -> Text,
        note -> Text,
        email -> Nullable<Text>,
        user_id -> Nullable<BigInt>,
        added_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    workshops (event_id) {
        event_id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        step -> Text,
        state -> Text,
        dots_per_member -> Integer,
        synthesis -> Nullable<Text>,
        synthesis_published_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    idea_clusters (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        name -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ideas (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        workshop_id -> Nullable<BigInt>,
        title -> Text,
        body -> Text,
        member_id -> Nullable<BigInt>,
        author_category -> Text,
        origin -> Text,
        status -> Text,
        cluster_id -> Nullable<BigInt>,
        merged_into -> Nullable<BigInt>,
        entered_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idea_evidence (id) {
        id -> BigInt,
        idea_id -> BigInt,
        entry_id -> Nullable<BigInt>,
        source_id -> Nullable<BigInt>,
        question_id -> Nullable<BigInt>,
        cited_idea_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    idea_history (id) {
        id -> BigInt,
        idea_id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        change -> Text,
    }
}

diesel::table! {
    objectives (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        title -> Text,
        description -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    criteria (id) {
        id -> BigInt,
        objective_id -> BigInt,
        label -> Text,
        weight -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    scores (id) {
        id -> BigInt,
        workshop_id -> BigInt,
        member_id -> BigInt,
        criterion_id -> BigInt,
        cluster_id -> Nullable<BigInt>,
        idea_id -> Nullable<BigInt>,
        value -> Integer,
        at -> Timestamp,
    }
}

diesel::table! {
    ballots (id) {
        id -> BigInt,
        workshop_id -> BigInt,
        member_id -> BigInt,
        dots_cap -> Integer,
        dots_used -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dots (id) {
        id -> BigInt,
        ballot_id -> BigInt,
        cluster_id -> Nullable<BigInt>,
        idea_id -> Nullable<BigInt>,
        at -> Timestamp,
    }
}

diesel::table! {
    actions (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        title -> Text,
        description -> Text,
        status -> Text,
        workshop_id -> Nullable<BigInt>,
        cluster_id -> Nullable<BigInt>,
        idea_id -> Nullable<BigInt>,
        lineage -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        axis_id -> Nullable<BigInt>,
        position -> Integer,
        lead_name -> Text,
        lead_entry_id -> Nullable<BigInt>,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        budget_cents -> Nullable<BigInt>,
        status_reason -> Text,
        priority -> Integer,
        progress_mode -> Text,
        progress_manual -> Nullable<Integer>,
        late_override -> Nullable<Text>,
        late_reason -> Text,
        revision -> Integer,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    idea_links (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        token -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(workshops -> events (event_id));
diesel::joinable!(criteria -> objectives (objective_id));
diesel::joinable!(dots -> ballots (ballot_id));
diesel::joinable!(idea_evidence -> map_entries (entry_id));
diesel::joinable!(idea_evidence -> map_sources (source_id));
diesel::joinable!(idea_evidence -> questions (question_id));
diesel::allow_tables_to_appear_in_same_query!(
    co_design_frames,
    working_members,
    workshops,
    idea_clusters,
    ideas,
    idea_evidence,
    idea_history,
    objectives,
    criteria,
    scores,
    ballots,
    dots,
    actions,
    idea_links,
);
diesel::allow_tables_to_appear_in_same_query!(workshops, events);
diesel::allow_tables_to_appear_in_same_query!(idea_evidence, map_entries);
diesel::allow_tables_to_appear_in_same_query!(idea_evidence, map_sources);
diesel::allow_tables_to_appear_in_same_query!(idea_evidence, questions);
diesel::allow_tables_to_appear_in_same_query!(idea_evidence, questionnaires);
diesel::allow_tables_to_appear_in_same_query!(ideas, map_entries);
diesel::allow_tables_to_appear_in_same_query!(ideas, map_sources);
diesel::allow_tables_to_appear_in_same_query!(ideas, questions);
diesel::allow_tables_to_appear_in_same_query!(working_members, users);
diesel::allow_tables_to_appear_in_same_query!(idea_history, users);

// The territorial action plan (migration 000023).

diesel::table! {
    action_plans (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        state -> Text,
        version -> Integer,
        implementation -> Text,
        citizens -> Text,
        evaluation -> Text,
        revision -> Integer,
        follow_up_event_id -> Nullable<BigInt>,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plan_versions (id) {
        id -> BigInt,
        plan_id -> BigInt,
        number -> Integer,
        content -> Text,
        state -> Text,
        submitted_by -> Nullable<BigInt>,
        submitted_at -> Timestamp,
    }
}

diesel::table! {
    adoptions (version_id) {
        version_id -> BigInt,
        body -> Text,
        act_kind -> Text,
        act_number -> Text,
        adopted_on -> Date,
        votes_for -> Integer,
        votes_against -> Integer,
        abstentions -> Integer,
        act_url -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    adoption_acts (version_id) {
        version_id -> BigInt,
        file_name -> Text,
        content -> Binary,
        byte_size -> BigInt,
        sha256 -> Text,
    }
}

diesel::table! {
    plan_axes (id) {
        id -> BigInt,
        plan_id -> BigInt,
        position -> Integer,
        title -> Text,
        description -> Text,
    }
}

diesel::table! {
    action_partners (id) {
        id -> BigInt,
        action_id -> BigInt,
        entry_id -> Nullable<BigInt>,
        name -> Text,
    }
}

diesel::table! {
    action_fundings (id) {
        id -> BigInt,
        action_id -> BigInt,
        funder -> Text,
        amount_cents -> BigInt,
        secured -> Bool,
    }
}

diesel::table! {
    action_milestones (id) {
        id -> BigInt,
        action_id -> BigInt,
        title -> Text,
        due_on -> Date,
        done_on -> Nullable<Date>,
    }
}

diesel::table! {
    action_evidence (id) {
        id -> BigInt,
        action_id -> BigInt,
        entry_id -> Nullable<BigInt>,
        source_id -> Nullable<BigInt>,
        question_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    action_comments (id) {
        id -> BigInt,
        action_id -> BigInt,
        author_id -> Nullable<BigInt>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    indicators (id) {
        id -> BigInt,
        action_id -> BigInt,
        name -> Text,
        unit -> Text,
        direction -> Text,
        frequency -> Text,
        source -> Text,
        method -> Text,
        baseline_on -> Nullable<Date>,
        baseline_value -> Nullable<Double>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    indicator_targets (id) {
        id -> BigInt,
        indicator_id -> BigInt,
        due_on -> Date,
        value -> Double,
    }
}

diesel::table! {
    plan_reviews (id) {
        id -> BigInt,
        plan_id -> BigInt,
        held_on -> Date,
        event_id -> Nullable<BigInt>,
        summary -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    review_items (id) {
        id -> BigInt,
        review_id -> BigInt,
        action_id -> BigInt,
        status -> Text,
        done -> Text,
        obstacles -> Text,
        means -> Text,
    }
}

diesel::table! {
    measurements (id) {
        id -> BigInt,
        indicator_id -> BigInt,
        measured_on -> Date,
        value -> Double,
        estimated -> Bool,
        comment -> Text,
        review_id -> Nullable<BigInt>,
        entered_by -> Nullable<BigInt>,
        entered_at -> Timestamp,
    }
}

diesel::joinable!(plan_versions -> action_plans (plan_id));
diesel::joinable!(adoptions -> plan_versions (version_id));
diesel::joinable!(plan_axes -> action_plans (plan_id));
diesel::joinable!(action_partners -> actions (action_id));
diesel::joinable!(action_fundings -> actions (action_id));
diesel::joinable!(action_milestones -> actions (action_id));
diesel::joinable!(action_evidence -> actions (action_id));
diesel::joinable!(action_comments -> actions (action_id));
diesel::joinable!(indicators -> actions (action_id));
diesel::joinable!(indicator_targets -> indicators (indicator_id));
diesel::joinable!(measurements -> indicators (indicator_id));
diesel::joinable!(review_items -> plan_reviews (review_id));
diesel::joinable!(adoption_acts -> adoptions (version_id));
diesel::joinable!(action_partners -> map_entries (entry_id));
diesel::joinable!(action_evidence -> map_entries (entry_id));
diesel::joinable!(action_evidence -> map_sources (source_id));
diesel::joinable!(action_evidence -> questions (question_id));
diesel::allow_tables_to_appear_in_same_query!(
    action_plans,
    plan_versions,
    adoptions,
    adoption_acts,
    plan_axes,
    actions,
    action_partners,
    action_fundings,
    action_milestones,
    action_evidence,
    action_comments,
    indicators,
    indicator_targets,
    measurements,
    plan_reviews,
    review_items,
);
diesel::allow_tables_to_appear_in_same_query!(action_partners, map_entries);
diesel::allow_tables_to_appear_in_same_query!(action_evidence, map_entries);
diesel::allow_tables_to_appear_in_same_query!(action_evidence, map_sources);
diesel::allow_tables_to_appear_in_same_query!(action_evidence, questions);
diesel::allow_tables_to_appear_in_same_query!(action_evidence, questionnaires);
diesel::allow_tables_to_appear_in_same_query!(action_comments, users);
diesel::allow_tables_to_appear_in_same_query!(measurements, users);
diesel::allow_tables_to_appear_in_same_query!(action_plans, collectivities);
diesel::allow_tables_to_appear_in_same_query!(actions, collectivities);

diesel::table! {
    restitutions (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        heard -> Text,
        figures -> Text,
        decided -> Text,
        next_steps -> Text,
        involved -> Text,
        revision -> Integer,
        published_at -> Nullable<Timestamp>,
        published_by -> Nullable<BigInt>,
        told -> Integer,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    restitution_questions (restitution_id, question_id) {
        restitution_id -> BigInt,
        question_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    restitution_quotes (id) {
        id -> BigInt,
        restitution_id -> BigInt,
        response_id -> BigInt,
        question_id -> BigInt,
        original -> Text,
        text -> Text,
        position -> Integer,
        chosen_by -> Nullable<BigInt>,
        chosen_at -> Timestamp,
    }
}

diesel::table! {
    restitution_reach (id) {
        id -> BigInt,
        restitution_id -> BigInt,
        event_id -> Nullable<BigInt>,
        channel -> Text,
        label -> Text,
        happened_on -> Date,
        reached -> Integer,
        note -> Text,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    reach_publics (reach_id, question_id, value) {
        reach_id -> BigInt,
        question_id -> BigInt,
        value -> Text,
        reached -> Integer,
    }
}

diesel::joinable!(restitution_questions -> restitutions (restitution_id));
diesel::joinable!(restitution_questions -> questions (question_id));
diesel::joinable!(restitution_quotes -> restitutions (restitution_id));
diesel::joinable!(restitution_reach -> restitutions (restitution_id));
diesel::joinable!(reach_publics -> restitution_reach (reach_id));
diesel::allow_tables_to_appear_in_same_query!(
    restitutions,
    restitution_questions,
    restitution_quotes,
    restitution_reach,
    reach_publics,
);
diesel::allow_tables_to_appear_in_same_query!(restitution_questions, questions);
diesel::allow_tables_to_appear_in_same_query!(restitution_quotes, questions);
diesel::allow_tables_to_appear_in_same_query!(restitution_quotes, responses);
diesel::allow_tables_to_appear_in_same_query!(restitutions, collectivities);
diesel::allow_tables_to_appear_in_same_query!(restitution_reach, events);

diesel::table! {
    peer_groups (id) {
        id -> BigInt,
        project_id -> BigInt,
        label -> Text,
        member_label -> Text,
        position -> Integer,
        brings -> Text,
        needs -> Text,
        revision -> Integer,
        conclusions_updated_by -> Nullable<BigInt>,
        conclusions_updated_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        published_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    peer_group_facilitators (peer_group_id, user_id) {
        peer_group_id -> BigInt,
        user_id -> BigInt,
        designated_by -> Nullable<BigInt>,
        designated_at -> Timestamp,
    }
}

diesel::table! {
    delegation_members (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        peer_group_id -> BigInt,
        display_name -> Text,
        function -> Text,
        is_substitute -> Bool,
        is_referent -> Bool,
        email -> Nullable<Text>,
        user_id -> Nullable<BigInt>,
        added_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    threads (id) {
        id -> BigInt,
        project_id -> BigInt,
        peer_group_id -> Nullable<BigInt>,
        kind -> Text,
        title -> Text,
        author_id -> Nullable<BigInt>,
        affiliation -> Text,
        messages_count -> Integer,
        last_message_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    thread_messages (id) {
        id -> BigInt,
        thread_id -> BigInt,
        author_id -> Nullable<BigInt>,
        affiliation -> Text,
        body -> Text,
        submission -> Text,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        hidden_at -> Nullable<Timestamp>,
        hidden_by -> Nullable<BigInt>,
        hidden_reason -> Nullable<Text>,
    }
}

diesel::table! {
    space_followers (id) {
        id -> BigInt,
        user_id -> BigInt,
        project_id -> BigInt,
        peer_group_id -> Nullable<BigInt>,
        frequency -> Text,
        weekday -> Integer,
        last_message_id -> BigInt,
        last_period -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    supervision_attendance (event_id, user_id) {
        event_id -> BigInt,
        user_id -> BigInt,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    supervision_notes (id) {
        id -> BigInt,
        event_id -> BigInt,
        author_id -> Nullable<BigInt>,
        body -> Text,
        submission -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(delegation_members -> peer_groups (peer_group_id));
diesel::joinable!(delegation_members -> collectivities (collectivity_id));
diesel::joinable!(peer_group_facilitators -> peer_groups (peer_group_id));
diesel::joinable!(thread_messages -> threads (thread_id));
diesel::joinable!(supervision_notes -> events (event_id));
diesel::joinable!(supervision_attendance -> events (event_id));
diesel::allow_tables_to_appear_in_same_query!(
    peer_groups,
    peer_group_facilitators,
    delegation_members,
    threads,
    thread_messages,
    space_followers,
    users,
);
diesel::allow_tables_to_appear_in_same_query!(delegation_members, collectivities);
diesel::allow_tables_to_appear_in_same_query!(delegation_members, territories);
diesel::allow_tables_to_appear_in_same_query!(supervision_attendance, users);
diesel::allow_tables_to_appear_in_same_query!(supervision_attendance, supervision_notes);
diesel::allow_tables_to_appear_in_same_query!(supervision_notes, users);
diesel::allow_tables_to_appear_in_same_query!(supervision_attendance, events);
diesel::allow_tables_to_appear_in_same_query!(supervision_notes, events);
diesel::allow_tables_to_appear_in_same_query!(delegation_members, projects);
diesel::allow_tables_to_appear_in_same_query!(peer_groups, projects);
diesel::allow_tables_to_appear_in_same_query!(peer_groups, collectivities);
diesel::allow_tables_to_appear_in_same_query!(peer_groups, territories);

diesel::table! {
    lessons (id) {
        id -> BigInt,
        project_id -> BigInt,
        title -> Text,
        body -> Text,
        phase -> Text,
        theme_id -> Nullable<BigInt>,
        audience -> Text,
        author_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    lesson_audiences (lesson_id, audience) {
        lesson_id -> BigInt,
        audience -> Text,
        widened_at -> Timestamp,
        widened_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    recommendations (id) {
        id -> BigInt,
        project_id -> BigInt,
        title -> Text,
        body -> Text,
        addressee -> Text,
        addressee_kind -> Text,
        status -> Text,
        transmitted_at -> Nullable<Timestamp>,
        answered_at -> Nullable<Timestamp>,
        answer -> Nullable<Text>,
        author_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    deliverables (project_id) {
        project_id -> BigInt,
        title -> Text,
        introduction -> Text,
        conclusion -> Text,
        revision -> Integer,
        published_at -> Nullable<Timestamp>,
        published_by -> Nullable<BigInt>,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    deliverable_items (project_id, kind, item_id) {
        project_id -> BigInt,
        kind -> Text,
        item_id -> BigInt,
        position -> Integer,
    }
}

diesel::joinable!(lesson_audiences -> lessons (lesson_id));
diesel::allow_tables_to_appear_in_same_query!(lessons, lesson_audiences, themes);
diesel::allow_tables_to_appear_in_same_query!(lessons, users);
diesel::allow_tables_to_appear_in_same_query!(deliverables, deliverable_items);

// Programmes (migration programmes).

diesel::table! {
    programmes (id) {
        id -> BigInt,
        built_in -> Nullable<Text>,
        name -> Text,
        current_version -> Integer,
        archived_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    programme_versions (programme_id, version) {
        programme_id -> BigInt,
        version -> Integer,
        definition -> Text,
        note -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(programme_versions -> programmes (programme_id));
diesel::allow_tables_to_appear_in_same_query!(programme_versions, programmes);
diesel::allow_tables_to_appear_in_same_query!(projects, programmes);

// The steering committee (migration steering_committee).

diesel::table! {
    steering_partners (id) {
        id -> BigInt,
        project_id -> BigInt,
        name -> Text,
        kind -> Text,
        added_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    steering_members (id) {
        id -> BigInt,
        project_id -> BigInt,
        partner_id -> BigInt,
        display_name -> Text,
        function -> Text,
        email -> Text,
        user_id -> Nullable<BigInt>,
        added_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(steering_members -> steering_partners (partner_id));
diesel::allow_tables_to_appear_in_same_query!(steering_members, steering_partners);

// The resource base (migration experience_reports).

diesel::table! {
    experience_reports (id) {
        id -> BigInt,
        title -> Text,
        territory_id -> BigInt,
        theme_id -> Nullable<BigInt>,
        project_id -> Nullable<BigInt>,
        method -> Text,
        duration -> Text,
        cost -> Text,
        done -> Text,
        results -> Text,
        difficulties -> Text,
        contact -> Text,
        links -> Text,
        status -> Text,
        refusal -> Nullable<Text>,
        collectivity_id -> Nullable<BigInt>,
        owner_id -> Nullable<BigInt>,
        checked_at -> Timestamp,
        reminded_for -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(experience_reports -> territories (territory_id));
diesel::allow_tables_to_appear_in_same_query!(experience_reports, territories);
diesel::allow_tables_to_appear_in_same_query!(experience_reports, themes);

// The directory of actors (migration directory).

diesel::table! {
    directory_entries (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        siret -> Nullable<Text>,
        skills -> Text,
        served -> Text,
        nationwide -> Bool,
        description -> Text,
        contact -> Text,
        links -> Text,
        status -> Text,
        refusal -> Nullable<Text>,
        collectivity_id -> Nullable<BigInt>,
        owner_id -> Nullable<BigInt>,
        checked_at -> Timestamp,
        reminded_for -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    directory_entry_projects (entry_id, project_id) {
        entry_id -> BigInt,
        project_id -> BigInt,
    }
}

diesel::joinable!(directory_entry_projects -> directory_entries (entry_id));
diesel::joinable!(directory_entry_projects -> projects (project_id));
diesel::allow_tables_to_appear_in_same_query!(directory_entry_projects, directory_entries);
diesel::allow_tables_to_appear_in_same_query!(directory_entry_projects, projects);

diesel::table! {
    public_maps (id) {
        id -> BigInt,
        project_id -> BigInt,
        collectivity_id -> BigInt,
        published_by -> Nullable<BigInt>,
        published_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(public_maps, map_entries);
diesel::allow_tables_to_appear_in_same_query!(public_maps, enrolments);
diesel::allow_tables_to_appear_in_same_query!(public_maps, collectivities);
diesel::allow_tables_to_appear_in_same_query!(public_maps, territories);
