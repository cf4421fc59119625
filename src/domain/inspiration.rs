//! Inspiration material the agency publishes per theme (docs/product.md § Lifecycle, step 1): a summary, a Markdown
//! body, links, and the themes it feeds.

use super::project::parse_url;
use super::text::{bounded_text, clean_line, errors_of};

/// At most this many links under one resource; more is a reading list, better written in the body.
pub const MAX_LINKS: usize = 30;

/// A link under a resource: its address and what a reader sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub label: String,
}

/// Parses the links field: one link per line, the address first, then an optional label ("https://… Rapport
/// 2024"). Errors name the line.
pub fn parse_links(input: &str) -> Result<Vec<Link>, String> {
    let mut links = Vec::new();
    let mut errors = Vec::new();
    for (index, line) in input.lines().enumerate() {
        let line_number = index + 1;
        let Some(line) = clean_line(line) else {
            errors.push(format!("ligne {line_number} : caractères non autorisés"));
            continue;
        };
        if line.is_empty() {
            continue;
        }
        let (url, label) = line.split_once(' ').unwrap_or((&line, ""));
        match parse_url(url, "L’adresse") {
            Ok(url) if label.chars().count() <= 200 => {
                let label = if label.is_empty() { url.clone() } else { label.to_owned() };
                links.push(Link { url, label });
            }
            Ok(_) => errors.push(format!("ligne {line_number} : le libellé dépasse 200 caractères")),
            Err(_) => errors
                .push(format!("ligne {line_number} : « {url:.60} » n’est pas une adresse commençant par https://")),
        }
    }
    if !errors.is_empty() {
        return Err(format!("Liens : {}.", errors.join(" ; ")));
    }
    if links.len() > MAX_LINKS {
        return Err(format!("Liens : {MAX_LINKS} au plus ({} saisis).", links.len()));
    }
    Ok(links)
}

/// The links as they are stored and shown back in the form: one "address label" per line.
pub fn links_text(links: &[Link]) -> String {
    links
        .iter()
        .map(|l| if l.label == l.url { l.url.clone() } else { format!("{} {}", l.url, l.label) })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A resource as the agency writes it, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResource {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub links: Vec<Link>,
    /// The themes it is attached to: at least one, no repeats.
    pub theme_ids: Vec<i64>,
}

/// The fields of the resource form, as typed; `theme_ids` are the values of the ticked boxes.
pub struct ResourceInput<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub links: &'a str,
    pub theme_ids: &'a [String],
}

impl NewResource {
    pub fn parse(input: &ResourceInput) -> Result<NewResource, Vec<(&'static str, String)>> {
        let title = clean_line(input.title)
            .ok_or_else(|| "Le titre contient des caractères non autorisés.".to_owned())
            .and_then(|t| bounded_text(&t, "Le titre", 5, 150));
        let summary = bounded_text(input.summary, "Le résumé", 20, 600);
        let body = bounded_text(input.body, "Le texte", 0, 50_000);
        let links = parse_links(input.links);
        let mut theme_ids = Vec::new();
        let mut theme_error = None;
        for value in input.theme_ids {
            match value.trim().parse::<i64>() {
                Ok(id) if id > 0 => {
                    if !theme_ids.contains(&id) {
                        theme_ids.push(id);
                    }
                }
                _ => theme_error = Some("Choisissez les thèmes dans la liste.".to_owned()),
            }
        }
        if theme_ids.is_empty() && theme_error.is_none() {
            theme_error = Some("Rattachez la ressource à au moins un thème.".to_owned());
        }
        match (title, summary, body, links, theme_error) {
            (Ok(title), Ok(summary), Ok(body), Ok(links), None) => {
                Ok(NewResource { title, summary, body, links, theme_ids })
            }
            (title, summary, body, links, theme_error) => Err(errors_of(vec![
                ("title", title.err()),
                ("summary", summary.err()),
                ("body", body.err()),
                ("links", links.err()),
                ("theme_ids", theme_error),
            ])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_one_per_line_with_an_optional_label() {
        let links = parse_links("https://anct.gouv.fr Le site de l’ANCT\n\n  http://exemple.fr  \n").unwrap();
        assert_eq!(
            links,
            vec![
                Link { url: "https://anct.gouv.fr".into(), label: "Le site de l’ANCT".into() },
                Link { url: "http://exemple.fr".into(), label: "http://exemple.fr".into() },
            ]
        );
        assert_eq!(links_text(&links), "https://anct.gouv.fr Le site de l’ANCT\nhttp://exemple.fr");
        assert_eq!(parse_links("").unwrap(), vec![]);
    }

    #[test]
    fn a_bad_link_names_its_line() {
        let error = parse_links("https://a.fr A\njavascript:alert(1) piège\nhttps://b.fr\nwww.c.fr").unwrap_err();
        assert!(error.contains("ligne 2") && error.contains("ligne 4") && !error.contains("ligne 3"), "{error}");
        let many = (0..31).map(|i| format!("https://e{i}.fr")).collect::<Vec<_>>().join("\n");
        assert!(parse_links(&many).unwrap_err().contains("30 au plus"));
    }

    #[test]
    fn a_resource_needs_a_theme_and_a_summary() {
        let themes = ["4".to_owned(), "4".to_owned(), "9".to_owned()];
        let input = ResourceInput {
            title: "Le transport à la demande",
            summary: "Trois expériences rurales de transport à la demande.",
            body: "## Ce qui a marché\n\nUn numéro unique.",
            links: "",
            theme_ids: &themes,
        };
        assert_eq!(NewResource::parse(&input).unwrap().theme_ids, vec![4, 9]);
        let none: [String; 0] = [];
        let errors = NewResource::parse(&ResourceInput { summary: "court", theme_ids: &none, ..input }).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["summary", "theme_ids"]);
        let bad = ["abc".to_owned()];
        let errors = NewResource::parse(&ResourceInput { theme_ids: &bad, ..input }).unwrap_err();
        assert_eq!(errors, vec![("theme_ids", "Choisissez les thèmes dans la liste.".to_owned())]);
    }
}
