//! Calendar dates of data records, with day or month precision.

use crate::lang::Lang;
use serde::Serialize;
use std::fmt;

/// A date as a source states it: `2020-04-01`, or `2022-03` when the source
/// gives only a month (e.g. "R4.3月時点").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: Option<u8>,
}

impl Date {
    /// Parses `YYYY-MM-DD` or `YYYY-MM`.
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || {
            format!(
                "`{s}` is not a date: write YYYY-MM-DD (or YYYY-MM when the source gives only a month)"
            )
        };
        let parts: Vec<&str> = s.split('-').collect();
        if !(2..=3).contains(&parts.len())
            || parts[0].len() != 4
            || parts[1..].iter().any(|p| p.len() != 2)
            || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(bad());
        }
        let year: u16 = parts[0].parse().map_err(|_| bad())?;
        let month: u8 = parts[1].parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(format!("`{s}`: month {month} does not exist"));
        }
        let day = match parts.get(2) {
            Some(d) => {
                let day: u8 = d.parse().map_err(|_| bad())?;
                if day == 0 || day > days_in_month(year, month) {
                    return Err(format!("`{s}`: day {day} does not exist in that month"));
                }
                Some(day)
            }
            None => None,
        };
        Ok(Date { year, month, day })
    }

    /// Whole months from `self` to `later` (negative if `later` is earlier).
    pub fn months_until(&self, later: &Date) -> i32 {
        let mut months = (i32::from(later.year) - i32::from(self.year)) * 12
            + i32::from(later.month)
            - i32::from(self.month);
        if let (Some(a), Some(b)) = (self.day, later.day)
            && b < a
        {
            months -= 1;
        }
        months
    }

    /// The date written for readers of `lang`.
    pub fn display(&self, lang: Lang) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match (lang, self.day) {
            (Lang::Ja | Lang::Easy, Some(d)) => format!("{}年{}月{}日", self.year, self.month, d),
            (Lang::Ja | Lang::Easy, None) => format!("{}年{}月", self.year, self.month),
            (Lang::En, Some(d)) => format!(
                "{} {} {}",
                d,
                MONTHS[usize::from(self.month) - 1],
                self.year
            ),
            (Lang::En, None) => format!("{} {}", MONTHS[usize::from(self.month) - 1], self.year),
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, d),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Environment variable that pins "today" (`YYYY-MM-DD`), for reproducible
/// builds and tests: staleness and dates in the future are judged against it.
pub const TODAY_ENV: &str = "TSUNAGU_TODAY";

/// Today's date (UTC), or [`TODAY_ENV`] when it is set to a date.
pub fn today() -> Date {
    if let Some(pinned) = std::env::var(TODAY_ENV)
        .ok()
        .and_then(|s| Date::parse(&s).ok())
    {
        return pinned;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_unix_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

impl Date {
    /// Days since 1970-01-01 → calendar date (Howard Hinnant's algorithm).
    pub fn from_unix_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: u16::try_from(year).unwrap_or(0),
            month: month as u8,
            day: Some(day as u8),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_day_and_month_precision() {
        assert_eq!(
            Date::parse("2020-04-01").unwrap().display(Lang::Ja),
            "2020年4月1日"
        );
        assert_eq!(
            Date::parse("2022-03").unwrap().display(Lang::En),
            "March 2022"
        );
        assert!(Date::parse("2021-02-29").is_err());
        assert!(Date::parse("2020-13").is_err());
        assert!(Date::parse("令和2年").is_err());
    }

    #[test]
    fn counts_whole_months() {
        let a = Date::parse("2025-11-21").unwrap();
        assert_eq!(a.months_until(&Date::parse("2026-11-21").unwrap()), 12);
        assert_eq!(a.months_until(&Date::parse("2026-11-20").unwrap()), 11);
    }

    #[test]
    fn converts_days_to_dates() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_413).to_string(), "2025-11-21");
    }
}
