//! Paris time, the platform's local time: the European rule (in force since 1996), written once for what is
//! computed in it (digest periods, dates on pages) and for what tells it to calendar programs (the VTIMEZONE of
//! iCalendar files).

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

/// The zone's identifier in iCalendar files.
pub const TZID: &str = "Europe/Paris";

/// Winter (CET) and summer (CEST) offsets from UTC, in hours.
const WINTER_OFFSET: i64 = 1;
const SUMMER_OFFSET: i64 = 2;
/// Summer time runs from the last Sunday of March to the last Sunday of October, changing at 01:00 UTC.
const SUMMER_FROM_MONTH: u32 = 3;
const SUMMER_UNTIL_MONTH: u32 = 10;
const CHANGE_HOUR_UTC: u32 = 1;

/// The last Sunday of a month, at the hour the clocks change (UTC).
fn change_utc(year: i32, month: u32) -> NaiveDateTime {
    let first_of_next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .unwrap_or_default();
    let last = first_of_next - TimeDelta::days(1);
    let back = i64::from(last.weekday().num_days_from_sunday());
    (last - TimeDelta::days(back)).and_hms_opt(CHANGE_HOUR_UTC, 0, 0).unwrap_or_default()
}

/// Paris time of a UTC instant.
pub fn paris_time(utc: NaiveDateTime) -> NaiveDateTime {
    let summer = utc >= change_utc(utc.year(), SUMMER_FROM_MONTH) && utc < change_utc(utc.year(), SUMMER_UNTIL_MONTH);
    utc + TimeDelta::hours(if summer { SUMMER_OFFSET } else { WINTER_OFFSET })
}

/// The zone's definition for an iCalendar file (RFC 5545 §3.6.5): each change from its first year (1970, as
/// calendar programs expect), at the local time it happens, repeated every year on the same last Sunday.
pub fn vtimezone() -> String {
    let offset = |hours: i64| format!("+{hours:02}00");
    let part = |name: &str, abbreviation: &str, month: u32, from: i64, to: i64| {
        let local_start = change_utc(1970, month) + TimeDelta::hours(from);
        format!(
            "BEGIN:{name}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nTZNAME:{abbreviation}\r\nDTSTART:{}\r\n\
             RRULE:FREQ=YEARLY;BYMONTH={month};BYDAY=-1SU\r\nEND:{name}\r\n",
            offset(from),
            offset(to),
            local_start.format("%Y%m%dT%H%M%S")
        )
    };
    format!(
        "BEGIN:VTIMEZONE\r\nTZID:{TZID}\r\n{}{}END:VTIMEZONE\r\n",
        part("DAYLIGHT", "CEST", SUMMER_FROM_MONTH, WINTER_OFFSET, SUMMER_OFFSET),
        part("STANDARD", "CET", SUMMER_UNTIL_MONTH, SUMMER_OFFSET, WINTER_OFFSET)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn paris_time_follows_summer_time() {
        // 2026: clocks go forward on Sunday 29 March at 01:00 UTC, back on Sunday 25 October at 01:00 UTC.
        assert_eq!(paris_time(at("2026-03-29 00:59")), at("2026-03-29 01:59"));
        assert_eq!(paris_time(at("2026-03-29 01:00")), at("2026-03-29 03:00"));
        assert_eq!(paris_time(at("2026-10-25 00:59")), at("2026-10-25 02:59"));
        assert_eq!(paris_time(at("2026-10-25 01:00")), at("2026-10-25 02:00"));
        assert_eq!(paris_time(at("2026-11-24 07:00")), at("2026-11-24 08:00"));
    }

    #[test]
    fn the_vtimezone_tells_the_same_rule() {
        assert_eq!(
            vtimezone(),
            "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n\
             BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n\
             RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
             BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n\
             RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        );
    }
}
