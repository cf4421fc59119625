//! The page frame and the small components every page uses. Accessibility rules live here once: one `h1` per
//! page, a skip link, labelled fields with their errors tied by `aria-describedby`, an error summary on top.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use maud::{html, Markup, DOCTYPE};

use super::assets;
use super::context::PageCtx;
use super::middleware::CSRF_FIELD;
use crate::import::places::Table;

/// A full page for `ctx`'s visitor.
pub fn page(ctx: &PageCtx, title: &str, body: Markup) -> Markup {
    let header_user = ctx.user.as_ref().map(|u| (u.display_name.as_str(), u.is_agency_admin, ctx.csrf_token()));
    frame(title, header_user, ctx.flash(), &ctx.path, body)
}

/// A page holding a form. Once the form is refused, its title starts with « Erreur : » — the first thing a screen
/// reader says of the new page — and [`FormErrors::summary`] takes the focus: every form gets both by passing its
/// errors here.
pub fn page_with_errors(ctx: &PageCtx, title: &str, errors: &FormErrors, body: Markup) -> Markup {
    if errors.is_empty() {
        page(ctx, title, body)
    } else {
        page(ctx, &format!("Erreur : {title}"), body)
    }
}

/// The page shown for errors: no session at hand, so no personal menu.
pub fn error_page(title: &str, message: &str) -> Markup {
    frame(
        title,
        None,
        None,
        "",
        html! {
            h1 { (title) }
            p { (message) }
            p { a href="/" { "Retour à l’accueil" } }
        },
    )
}

fn frame(title: &str, user: Option<(&str, bool, String)>, flash: Option<&str>, path: &str, body: Markup) -> Markup {
    let current = |href: &str| -> Option<&'static str> {
        let here = path.split('?').next().unwrap_or("");
        let active = if href == "/" { here == "/" } else { here.starts_with(href) };
        active.then_some("page")
    };
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — encommun" }
                link rel="stylesheet" href=(assets::url("style.css"));
                link rel="icon" href=(assets::url("favicon.svg")) type="image/svg+xml";
            }
            body {
                a class="skip-link" href="#contenu" { "Aller au contenu" }
                header class="site-header" {
                    div class="wrap header-inner" {
                        a class="brand" href="/" { span class="brand-mark" aria-hidden="true" { "◆" } " encommun" }
                        nav aria-label="Navigation principale" {
                            // On a telephone the menu folds into a disclosure that needs no script; wide screens
                            // show it open, its button hidden (style.css).
                            details class="site-menu" {
                                summary { "Menu" }
                                ul class="nav" {
                                    li { a href="/" aria-current=[current("/")] { "Accueil" } }
                                    li { a href="/themes" aria-current=[current("/themes")] { "Thèmes" } }
                                    li { a href="/projets" aria-current=[current("/projets")] { "Projets" } }
                                    li { a href="/inspiration" aria-current=[current("/inspiration")] { "Inspiration" } }
                                    li { a href="/retours-d-experience" aria-current=[current("/retours-d-experience")] { "Retours d’expérience" } }
                                    li { a href="/collectivites" aria-current=[current("/collectivites")] { "Collectivités" } }
                                    li { a href="/recherche" aria-current=[current("/recherche")] { "Rechercher" } }
                                    @if let Some((_, true, _)) = &user {
                                        li { a href="/admin" aria-current=[current("/admin")] { "Administration" } }
                                    }
                                    @if let Some((name, _, csrf)) = &user {
                                        li { a href="/ma-collectivite" aria-current=[current("/ma-collectivite")] { "Ma collectivité" } }
                                        li { a href="/compte" aria-current=[current("/compte")] { "Mon compte" span class="visually-hidden" { " (" (name) ")" } } }
                                        li {
                                            form class="inline" method="post" action="/deconnexion" {
                                                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                                                button class="link-button" type="submit" { "Se déconnecter" }
                                            }
                                        }
                                    } @else {
                                        li { a href="/connexion" aria-current=[current("/connexion")] { "Se connecter" } }
                                    }
                                }
                            }
                        }
                    }
                }
                main id="contenu" class="wrap" tabindex="-1" {
                    @if let Some(message) = flash {
                        div class="notice notice-success" role="status" { p { (message) } }
                    }
                    (body)
                }
                footer class="site-footer" {
                    div class="wrap" {
                        ul class="footer-links" {
                            li { a href="/accessibilite" { "Accessibilité : " (super::pages::COMPLIANCE) } }
                            li { a href="/mentions-legales" { "Mentions légales" } }
                            li { a href="/donnees-personnelles" { "Données personnelles" } }
                            li { a href="/donnees-ouvertes" { "Données ouvertes" } }
                            li { a href="/api" { "API publique" } }
                        }
                        p class="small" { "Données territoriales — Sources : INSEE, IGN Admin Express, DGCL, ANCT — Licence Ouverte." }
                    }
                }
            }
        }
    }
}

/// A hidden field carrying the session's anti-forgery token; every POST form starts with it.
pub fn csrf_field(ctx: &PageCtx) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(ctx.csrf_token()); }
}

/// Errors of a submitted form, by field name, in the order of the form.
#[derive(Debug, Default)]
pub struct FormErrors(Vec<(String, String)>);

impl From<Vec<(&'static str, String)>> for FormErrors {
    /// The errors a domain parser returns for several fields at once.
    fn from(errors: Vec<(&'static str, String)>) -> Self {
        FormErrors(errors.into_iter().map(|(field, message)| (field.to_owned(), message)).collect())
    }
}

impl From<Vec<(String, String)>> for FormErrors {
    /// Errors of fields whose names are made at run time (a questionnaire's questions).
    fn from(errors: Vec<(String, String)>) -> Self {
        FormErrors(errors)
    }
}

impl FormErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    /// Records the error of a parse, returning its value when it succeeded.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// Shown above the form, so a screen-reader user hears what is wrong and can jump to each field. It takes the
    /// focus when the page opens (`autofocus`, no script needed), and is `#erreurs` for links. A message shared by
    /// several fields (« Adresse électronique ou mot de passe incorrect. ») is listed once, leading to the first.
    pub fn summary(&self) -> Markup {
        self.summary_naming(|_| None::<Markup>)
    }

    /// The summary, each message after the name of what it is about (« Question 3 — … ») when `name_of` gives
    /// one: for fields whose label does not say it in a list (a questionnaire's questions).
    pub fn summary_naming(&self, name_of: impl Fn(&str) -> Option<Markup>) -> Markup {
        let mut listed: Vec<&(String, String)> = Vec::new();
        for error in &self.0 {
            if !listed.iter().any(|(_, message)| *message == error.1) {
                listed.push(error);
            }
        }
        html! {
            @if !listed.is_empty() {
                div id="erreurs" class="notice notice-error" role="alert" tabindex="-1" autofocus {
                    h2 class="notice-title" {
                        @if listed.len() == 1 { "Le formulaire contient une erreur" }
                        @else { "Le formulaire contient " (listed.len()) " erreurs" }
                    }
                    ul {
                        @for (field, message) in &listed {
                            li { a href={ "#" (field) } { @if let Some(name) = name_of(field) { (name) " — " } (message) } }
                        }
                    }
                }
            }
        }
    }

    /// The page's title, which says first that the form was refused.
    pub fn title(&self, title: &str) -> String {
        if self.0.is_empty() {
            title.to_owned()
        } else {
            format!("Erreur : {title}")
        }
    }
}

/// A group of radio buttons under a legend. The first button carries the field's name as its id, so the error
/// summary's link to `#name` lands on it.
pub fn radio_group(
    name: &'static str,
    legend: &str,
    choices: &[(&str, &str)],
    checked: &str,
    errors: &FormErrors,
) -> Markup {
    let error = errors.get(name);
    let error_id = format!("{name}-erreur");
    html! {
        fieldset class={ "field" @if error.is_some() { " field-invalid" } } aria-describedby=[error.map(|_| error_id.as_str())] {
            legend { (legend) }
            @if let Some(message) = error { p class="field-error" id=(error_id) { span aria-hidden="true" { "⚠ " } (message) } }
            @for (i, (value, label)) in choices.iter().enumerate() {
                @let id = if i == 0 { name.to_owned() } else { format!("{name}-{value}") };
                div class="choice" {
                    input type="radio" name=(name) id=(id) value=(value) checked[checked == *value];
                    label for=(id) { (label) }
                }
            }
        }
    }
}

/// One labelled input.
pub struct Field<'a> {
    pub name: &'static str,
    pub label: &'a str,
    pub input_type: &'static str,
    pub value: &'a str,
    pub hint: Option<&'a str>,
    pub autocomplete: Option<&'static str>,
    pub required: bool,
    /// For a number: the bounds the server accepts, said to the browser too.
    pub range: Option<(i64, i64)>,
    /// Takes the focus when the page opens: the fast entry of ideas, one after another from the keyboard.
    pub autofocus: bool,
}

impl<'a> Field<'a> {
    pub fn new(name: &'static str, label: &'a str) -> Self {
        Field {
            name,
            label,
            input_type: "text",
            value: "",
            hint: None,
            autocomplete: None,
            required: true,
            range: None,
            autofocus: false,
        }
    }
    pub fn kind(mut self, input_type: &'static str) -> Self {
        self.input_type = input_type;
        self
    }
    pub fn value(mut self, value: &'a str) -> Self {
        self.value = value;
        self
    }
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
    pub fn autocomplete(mut self, autocomplete: &'static str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }
    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }
    pub fn autofocus(mut self, autofocus: bool) -> Self {
        self.autofocus = autofocus;
        self
    }
    pub fn number(mut self, min: i64, max: i64) -> Self {
        self.input_type = "number";
        self.range = Some((min, max));
        self
    }

    pub fn render(&self, errors: &FormErrors) -> Markup {
        let error = errors.get(self.name);
        let hint_id = format!("{}-aide", self.name);
        let error_id = format!("{}-erreur", self.name);
        let described: Vec<&str> =
            [self.hint.map(|_| hint_id.as_str()), error.map(|_| error_id.as_str())].into_iter().flatten().collect();
        // Passwords are never sent back to the browser.
        let value = if self.input_type == "password" { "" } else { self.value };
        html! {
            div class={ "field" @if error.is_some() { " field-invalid" } } {
                label for=(self.name) {
                    (self.label)
                    @if !self.required { span class="optional" { " (facultatif)" } }
                }
                @if let Some(hint) = self.hint { p class="hint" id=(hint_id) { (hint) } }
                @if let Some(message) = error { p class="field-error" id=(error_id) { span aria-hidden="true" { "⚠ " } (message) } }
                input id=(self.name) name=(self.name) type=(self.input_type) value=(value)
                    required[self.required]
                    min=[self.range.map(|r| r.0)]
                    max=[self.range.map(|r| r.1)]
                    autocomplete=[self.autocomplete]
                    autofocus[self.autofocus]
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[(!described.is_empty()).then(|| described.join(" "))];
            }
        }
    }
}

/// A labelled multi-line field, with its hint and error tied to it.
pub fn textarea(name: &'static str, label: &str, value: &str, hint: &str, errors: &FormErrors) -> Markup {
    multiline(name, label, value, hint, errors, true)
}

/// A multi-line field that may be left empty.
pub fn optional_textarea(name: &'static str, label: &str, value: &str, hint: &str, errors: &FormErrors) -> Markup {
    multiline(name, label, value, hint, errors, false)
}

fn multiline(name: &'static str, label: &str, value: &str, hint: &str, errors: &FormErrors, required: bool) -> Markup {
    let error = errors.get(name);
    let described = match error {
        Some(_) => format!("{name}-aide {name}-erreur"),
        None => format!("{name}-aide"),
    };
    html! {
        div class={ "field" @if error.is_some() { " field-invalid" } } {
            label for=(name) {
                (label)
                @if !required { span class="optional" { " (facultatif)" } }
            }
            p class="hint" id={ (name) "-aide" } { (hint) }
            @if let Some(message) = error { p class="field-error" id={ (name) "-erreur" } { span aria-hidden="true" { "⚠ " } (message) } }
            textarea id=(name) name=(name) rows="6" required[required] aria-invalid=[error.map(|_| "true")] aria-describedby=(described) { (value) }
        }
    }
}

/// A group of checkboxes under a legend, each sending `name` with its value. As with [`radio_group`], the first
/// box carries the field's name as its id, for the error summary's link.
pub fn checkbox_group(
    name: &'static str,
    legend: &str,
    choices: &[(String, String)],
    checked: &[String],
    errors: &FormErrors,
) -> Markup {
    let error = errors.get(name);
    let error_id = format!("{name}-erreur");
    html! {
        fieldset class={ "field checkboxes" @if error.is_some() { " field-invalid" } } aria-describedby=[error.map(|_| error_id.as_str())] {
            legend { (legend) }
            @if let Some(message) = error { p class="field-error" id=(error_id) { span aria-hidden="true" { "⚠ " } (message) } }
            @for (i, (value, label)) in choices.iter().enumerate() {
                @let id = if i == 0 { name.to_owned() } else { format!("{name}-{value}") };
                div class="choice" {
                    input type="checkbox" name=(name) id=(id) value=(value) checked[checked.contains(value)];
                    label for=(id) { (label) }
                }
            }
        }
    }
}

/// A labelled list of choices, with its hint and error tied to it.
pub fn select(
    name: &'static str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    hint: Option<&str>,
    errors: &FormErrors,
) -> Markup {
    let error = errors.get(name);
    let hint_id = format!("{name}-aide");
    let error_id = format!("{name}-erreur");
    let described: Vec<&str> =
        [hint.map(|_| hint_id.as_str()), error.map(|_| error_id.as_str())].into_iter().flatten().collect();
    html! {
        div class={ "field" @if error.is_some() { " field-invalid" } } {
            label for=(name) { (label) }
            @if let Some(hint) = hint { p class="hint" id=(hint_id) { (hint) } }
            @if let Some(message) = error { p class="field-error" id=(error_id) { span aria-hidden="true" { "⚠ " } (message) } }
            select id=(name) name=(name) aria-invalid=[error.map(|_| "true")] aria-describedby=[(!described.is_empty()).then(|| described.join(" "))] {
                @for (value, text) in options { option value=(value) selected[selected == value] { (text) } }
            }
        }
    }
}

/// A plain text typed by a person, its blank-line-separated paragraphs kept.
pub fn paragraphs(text: &str) -> Markup {
    html! { @for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) { p class="prose" { (paragraph.trim()) } } }
}

/// "3 février 2027", from a date or a date and time.
pub fn date_fr(date: impl chrono::Datelike) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let month = MONTHS.get(date.month0() as usize).copied().unwrap_or("");
    format!("{} {} {}", date.day(), month, date.year())
}

/// "3 décembre 2026 à 9 h 41", Paris time, from a UTC instant as the database stores it.
pub fn moment_fr(utc: chrono::NaiveDateTime) -> String {
    let local = crate::domain::paris::paris_time(utc);
    format!("{} à {}", date_fr(local), local.format("%-H h %M"))
}

/// A place in a list, feminine as "collectivité" is: "1ʳᵉ", "2ᵉ", "3ᵉ".
pub fn rank_fr(rank: i64) -> String {
    if rank == 1 {
        "1ʳᵉ".to_owned()
    } else {
        format!("{rank}ᵉ")
    }
}

pub fn number_fr(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A table in a region of its own, which scrolls sideways when the table is wider than the screen: focusable, so
/// the keyboard scrolls it too, and named, so a screen reader says what the region holds (axe's
/// `scrollable-region-focusable`). Its shadows (style.css) show there is more to either side. Every table goes
/// through it.
pub fn scroll_table(label: &str, table: Markup) -> Markup {
    html! { div class="table-scroll" role="region" aria-label=(label) tabindex="0" { (table) } }
}

/// Errors listed at most under an import refused; the count says how many more.
const IMPORT_ERRORS_SHOWN: usize = 50;

/// Why an import was refused, row by row, above its mapping form: nothing was written.
pub fn import_errors(errors: &[String]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div class="notice notice-error" role="alert" {
                h2 class="notice-title" {
                    @if errors.len() == 1 { "Une ligne empêche l’import" } @else { (errors.len()) " lignes empêchent l’import" }
                }
                p { "Rien n’a été importé. Corrigez le fichier et envoyez-le de nouveau, ou changez le choix des colonnes." }
                ul { @for e in errors.iter().take(IMPORT_ERRORS_SHOWN) { li { (e) } } }
                @if errors.len() > IMPORT_ERRORS_SHOWN { p { "… et " (errors.len() - IMPORT_ERRORS_SHOWN) " autres." } }
            }
        }
    }
}

/// The column-mapping step of an import: each column of the file with its first values and what it becomes (a
/// select `colonne-{i}` among `options`, as (code, label); `chosen` holds each column's code).
pub fn column_mapping(table: &Table, options: &[(&str, &str)], chosen: &[String]) -> Markup {
    scroll_table(
        "Les colonnes et leurs premières valeurs",
        html! {
            table class="mapping" {
                caption { "Les colonnes et leurs premières valeurs" }
                thead { tr { th scope="col" { "Colonne" } th scope="col" { "Premières valeurs" } th scope="col" { "Devient" } } }
                tbody {
                    @for (i, header) in table.headers.iter().enumerate() {
                        @let chosen = chosen.get(i).map(String::as_str).unwrap_or("");
                        tr {
                            th scope="row" { label for={ "colonne-" (i) } { (header) } }
                            td class="samples" {
                                @for (_, row) in table.rows.iter().filter(|(_, r)| r.get(i).is_some_and(|v| !v.is_empty())).take(3) {
                                    span class="sample" { (sample(&row[i])) } " "
                                }
                            }
                            td {
                                select id={ "colonne-" (i) } name={ "colonne-" (i) } {
                                    @for (code, label) in options {
                                        option value=(code) selected[chosen == *code] { (label) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// A value shortened for the mapping's preview.
fn sample(value: &str) -> String {
    let one_line = value.replace('\n', " ⏎ ");
    if one_line.chars().count() > 40 {
        format!("{}…", one_line.chars().take(39).collect::<String>())
    } else {
        one_line
    }
}

/// The page of a long list being shown (from 1), out of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub per_page: i64,
    pub total: i64,
}

impl Pager {
    /// The requested page (`?page=`), brought within range: a wrong or stale number shows the nearest page.
    pub fn new(requested: Option<&str>, total: i64, per_page: i64) -> Pager {
        let pages = ((total + per_page - 1) / per_page).max(1);
        let page = requested.and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, pages);
        Pager { page, pages, per_page, total }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// The rows of this page among `rows`.
    pub fn slice<'a, T>(&self, rows: &'a [T]) -> &'a [T] {
        let start = (self.offset() as usize).min(rows.len());
        let end = (start + self.per_page as usize).min(rows.len());
        &rows[start..end]
    }

    /// « 101–200 sur 2 845 »: which rows are shown.
    pub fn range(&self) -> String {
        if self.total == 0 {
            return "0 sur 0".to_owned();
        }
        let first = self.offset() + 1;
        let last = (self.offset() + self.per_page).min(self.total);
        format!("{}–{} sur {}", number_fr(first), number_fr(last), number_fr(self.total))
    }

    /// Links to the first, previous, next and last pages (plain links: no script), and where the reader is;
    /// nothing when everything fits on one page.
    pub fn render(&self, link: impl Fn(i64) -> String) -> Markup {
        html! {
            @if self.pages > 1 {
                nav class="pager" aria-label="Pagination" {
                    @if self.page > 1 {
                        @if self.page > 2 { a href=(link(1)) { "« Première page" } }
                        a href=(link(self.page - 1)) rel="prev" { "← Page précédente" }
                    }
                    span aria-current="page" { "Page " (self.page) " sur " (self.pages) " (" (self.range()) ")" }
                    @if self.page < self.pages {
                        a href=(link(self.page + 1)) rel="next" { "Page suivante →" }
                        @if self.page + 1 < self.pages { a href=(link(self.pages)) { "Dernière page »" } }
                    }
                }
            }
        }
    }
}

/// An HTML page with a status other than 200.
pub fn html_response(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(markup.into_string())
}

/// A form sent back with its errors: 422, the person's input kept.
pub fn unprocessable(markup: Markup) -> HttpResponse {
    html_response(StatusCode::UNPROCESSABLE_ENTITY, markup)
}

/// After a successful POST: go and see the result (303, so a reload does not post again).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, location)).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_stay_within_range() {
        assert_eq!(Pager::new(None, 250, 100), Pager { page: 1, pages: 3, per_page: 100, total: 250 });
        assert_eq!(Pager::new(Some("3"), 250, 100).offset(), 200);
        assert_eq!(Pager::new(Some("9"), 250, 100).page, 3);
        assert_eq!(Pager::new(Some("-2"), 250, 100).page, 1);
        assert_eq!(Pager::new(Some("abc"), 0, 100), Pager { page: 1, pages: 1, per_page: 100, total: 0 });
        assert!(Pager::new(None, 100, 100).render(|p| p.to_string()).into_string().is_empty());
        let html = Pager::new(Some("2"), 250, 100).render(|p| format!("/themes?page={p}")).into_string();
        assert!(html.contains(r#"href="/themes?page=1""#) && html.contains(r#"href="/themes?page=3""#), "{html}");
        assert!(html.contains("101–200 sur 250"), "{html}");
    }

    #[test]
    fn a_page_says_which_rows_it_shows_and_links_to_the_ends() {
        let sheets: Vec<i64> = (1..=2845).collect();
        let first = Pager::new(None, 2845, 100);
        assert_eq!(first.range(), "1–100 sur 2\u{202f}845");
        assert_eq!(first.slice(&sheets), &sheets[..100]);
        let last = Pager::new(Some("29"), 2845, 100);
        assert_eq!(last.range(), "2\u{202f}801–2\u{202f}845 sur 2\u{202f}845");
        assert_eq!(last.slice(&sheets).len(), 45);
        let middle = Pager::new(Some("10"), 2845, 100).render(|p| format!("?page={p}#fiches")).into_string();
        for link in ["?page=1#fiches", "?page=9#fiches", "?page=11#fiches", "?page=29#fiches"] {
            assert!(middle.contains(&format!("href=\"{link}\"")), "{link} in {middle}");
        }
        assert!(middle.contains("Page 10 sur 29 (901–1\u{202f}000 sur 2\u{202f}845)"), "{middle}");
        let second = Pager::new(Some("2"), 2845, 100).render(|p| format!("?page={p}")).into_string();
        assert!(!second.contains("Première page"), "the previous page is the first: one link is enough");
        assert_eq!(Pager::new(None, 0, 100).range(), "0 sur 0");
    }

    #[test]
    fn a_refused_form_titles_its_page_and_its_summary_takes_the_focus() {
        let mut errors = FormErrors::default();
        errors.add("email", "Adresse électronique ou mot de passe incorrect.");
        errors.add("password", "Adresse électronique ou mot de passe incorrect.");
        let summary = errors.summary().into_string();
        assert!(summary.contains(r#"id="erreurs""#) && summary.contains(r#"tabindex="-1""#), "{summary}");
        assert!(summary.contains("autofocus"), "{summary}");
        assert_eq!(summary.matches("incorrect").count(), 1, "one message for both fields: {summary}");
        assert!(summary.contains("une erreur"));
        assert!(FormErrors::default().summary().into_string().is_empty());
    }

    #[test]
    fn a_wide_table_is_a_named_focusable_region() {
        let html = scroll_table("Les fiches", html! { table {} }).into_string();
        assert!(html.contains(r#"role="region""#) && html.contains(r#"aria-label="Les fiches""#), "{html}");
        assert!(html.contains(r#"tabindex="0""#), "{html}");
    }

    #[test]
    fn numbers_use_french_grouping() {
        assert_eq!(number_fr(34969), "34\u{202f}969");
        assert_eq!(number_fr(999), "999");
        assert_eq!(number_fr(1_000_000), "1\u{202f}000\u{202f}000");
    }

    #[test]
    fn field_ties_its_error_to_the_input() {
        let mut errors = FormErrors::default();
        errors.add("email", "Adresse invalide");
        let html = Field::new("email", "Adresse").kind("email").value("x<y").render(&errors).into_string();
        assert!(html.contains(r#"aria-describedby="email-erreur""#), "{html}");
        assert!(html.contains(r#"aria-invalid="true""#));
        assert!(html.contains("x&lt;y"), "values are escaped");
    }
}
