//! Markdown written by the agency and providers (inspiration, news, minutes), rendered through a sanitiser.
//!
//! The sanitiser works on the parser's events rather than on the produced HTML: raw HTML is shown as text, links
//! keep only safe schemes (http, https, mailto, and paths of this site), and images become plain links, since
//! an image from another host would tell that host who reads the page. Text and attributes are escaped by the
//! HTML writer, so nothing written by a person can execute in another's browser.

use maud::{PreEscaped, Render};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// A Markdown text, rendered sanitised where it is placed in a view.
pub struct Markdown<'a>(pub &'a str);

impl Render for Markdown<'_> {
    fn render_to(&self, buffer: &mut String) {
        buffer.push_str(&to_html(self.0));
    }
}

/// Accepts links to the web, to an e-mail address, or within this site; anything else (javascript:, data:…)
/// is dropped while its text is kept.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:") {
        return true;
    }
    // A path or an anchor of this site, but not a protocol-relative URL ("//host").
    (lower.starts_with('/') && !lower.starts_with("//")) || lower.starts_with('#')
}

pub fn to_html(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Which opened links were dropped, so that their closing tags are dropped too.
    let mut dropped_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(source, options).filter_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => None,
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let safe = is_safe_url(&dest_url);
            dropped_links.push(!safe);
            safe.then_some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
        }
        Event::End(TagEnd::Link) => match dropped_links.pop() {
            Some(false) => Some(Event::End(TagEnd::Link)),
            _ => None,
        },
        // An image becomes a link to it, with its description as text.
        Event::Start(Tag::Image { dest_url, title, .. }) => {
            let safe = is_safe_url(&dest_url);
            dropped_links.push(!safe);
            safe.then_some(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                title,
                id: CowStr::Borrowed(""),
            }))
        }
        Event::End(TagEnd::Image) => match dropped_links.pop() {
            Some(false) => Some(Event::End(TagEnd::Link)),
            _ => None,
        },
        other => Some(other),
    });
    let mut html = String::with_capacity(source.len() + source.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The sanitised HTML as markup, for views that hold it already rendered.
pub fn render(source: &str) -> PreEscaped<String> {
    PreEscaped(to_html(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_usual_markdown() {
        let html = to_html("# Titre\n\nUn *texte* avec [un lien](https://anct.gouv.fr).\n\n- un\n- deux");
        assert!(html.contains("<h1>Titre</h1>"), "{html}");
        assert!(html.contains("<em>texte</em>"));
        assert!(html.contains(r#"<a href="https://anct.gouv.fr">un lien</a>"#));
        assert!(html.contains("<li>un</li>"));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("<script>alert(1)</script>\n\nBonjour <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn dangerous_links_lose_their_target_but_keep_their_text() {
        for url in
            ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "//evil.example/x", "vbscript:x"]
        {
            let html = to_html(&format!("[cliquez]({url})"));
            assert!(!html.contains("href"), "{url}: {html}");
            assert!(html.contains("cliquez"), "{url}: {html}");
        }
        assert!(to_html("[ici](/themes/3)").contains(r#"href="/themes/3""#));
        assert!(to_html("<mailto:contact@anct.gouv.fr>").contains(r#"href="mailto:contact@anct.gouv.fr""#));
    }

    #[test]
    fn images_become_links() {
        let html = to_html("![carte du territoire](https://tracker.example/pixel.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains(r#"<a href="https://tracker.example/pixel.png">carte du territoire</a>"#), "{html}");
        assert!(!to_html("![x](javascript:alert(1))").contains("href"));
    }

    #[test]
    fn attributes_are_escaped() {
        let html = to_html(r#"[a](https://x.example/"onmouseover="alert(1) "t")"#);
        assert!(!html.contains(r#"" onmouseover"#), "{html}");
    }
}
