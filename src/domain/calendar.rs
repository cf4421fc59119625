//! iCalendar (RFC 5545) for a project's events, so people add them to their own calendar. Times are French local
//! time, written with `TZID=Europe/Paris` and the zone's rules, so every calendar program places them right.

use chrono::NaiveDateTime;

use crate::domain::paris::{vtimezone, TZID};

pub struct CalendarEvent<'a> {
    /// Unique and stable: "evenement-12@host".
    pub uid: String,
    pub title: &'a str,
    pub description: &'a str,
    pub location: Option<&'a str>,
    pub url: &'a str,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// When the event was last changed, in UTC.
    pub stamp: NaiveDateTime,
}

/// The stable UID of a platform event: "evenement-12@host".
pub fn event_uid(event_id: i64, base_url: &str) -> String {
    let host = base_url.split("://").nth(1).unwrap_or("encommun").trim_end_matches('/');
    format!("evenement-{event_id}@{host}")
}

/// Where an event takes place, as calendars show it: the place, the online link, or both.
pub fn location(place: Option<&str>, online_url: Option<&str>) -> Option<String> {
    match (place, online_url) {
        (Some(place), Some(url)) => Some(format!("{place} — {url}")),
        (Some(place), None) => Some(place.to_owned()),
        (None, url) => url.map(str::to_owned),
    }
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

pub fn ics(events: &[CalendarEvent]) -> String {
    let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//encommun//projets partagés//FR\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    out.push_str(&vtimezone());
    for event in events {
        out.push_str("BEGIN:VEVENT\r\n");
        out.push_str(&fold(&format!("UID:{}", event.uid)));
        out.push_str(&format!("DTSTAMP:{}\r\n", event.stamp.format("%Y%m%dT%H%M%SZ")));
        out.push_str(&format!("DTSTART;TZID={TZID}:{}\r\n", event.starts_at.format("%Y%m%dT%H%M%S")));
        out.push_str(&format!("DTEND;TZID={TZID}:{}\r\n", event.ends_at.format("%Y%m%dT%H%M%S")));
        out.push_str(&fold(&format!("SUMMARY:{}", escape(event.title))));
        if !event.description.is_empty() {
            out.push_str(&fold(&format!("DESCRIPTION:{}", escape(event.description))));
        }
        if let Some(location) = event.location {
            out.push_str(&fold(&format!("LOCATION:{}", escape(location))));
        }
        out.push_str(&fold(&format!("URL:{}", event.url)));
        out.push_str("END:VEVENT\r\n");
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn an_event_in_paris_time_with_escaped_text() {
        let text = ics(&[CalendarEvent {
            uid: "evenement-7@encommun.example".into(),
            title: "Séminaire inter-sites, jour 1; atelier",
            description: "Ligne 1\nLigne 2",
            location: Some("Hôtel de ville, Blois"),
            url: "https://encommun.example/projets/1/evenements/7",
            starts_at: at("2027-03-30 09:30"),
            ends_at: at("2027-03-30 17:00"),
            stamp: at("2026-11-23 10:00"),
        }]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.contains("DTSTART;TZID=Europe/Paris:20270330T093000\r\n"), "{text}");
        assert!(text.contains("SUMMARY:Séminaire inter-sites\\, jour 1\\; atelier\r\n"));
        assert!(text.contains("DESCRIPTION:Ligne 1\\nLigne 2\r\n"));
        assert!(text.contains("LOCATION:Hôtel de ville\\, Blois\r\n"));
        assert!(text.contains("TZID:Europe/Paris\r\n"));
        assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "only CRLF line ends");
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_on_character_boundaries() {
        let folded = fold(&format!("SUMMARY:{}", "é".repeat(100)));
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), format!("SUMMARY:{}", "é".repeat(100)));
    }
}
