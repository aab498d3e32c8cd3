//! Calendar dates written `YYYY-MM-DD`: one type, [`IsoDate`], read once (in quire.yaml and
//! front matter) and asked for its year, its parts and its timestamp everywhere else.

use serde::{Serialize, Serializer};
use std::fmt;

/// A calendar date that exists (proleptic Gregorian), written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(time::Date);

impl IsoDate {
    /// Read `YYYY-MM-DD` (four-digit year, two-digit month and day); the error says why not.
    pub fn parse(s: &str) -> Result<IsoDate, String> {
        let bad = || format!("`{s}` is not a calendar date written YYYY-MM-DD");
        let parts: Vec<&str> = s.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let num = |p: &str| -> Result<u16, String> {
            if p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (y, m, d) = (num(y)?, num(m)?, num(d)?);
        let month = u8::try_from(m)
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .ok_or_else(|| format!("`{s}` has no month {m}"))?;
        let day = u8::try_from(d).map_err(|_| bad())?;
        time::Date::from_calendar_date(i32::from(y), month, day)
            .map(IsoDate)
            .map_err(|_| format!("`{s}` has no day {d} in month {m}"))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        u8::from(self.0.month())
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.0.day()
    }

    /// Seconds since the Unix epoch at 00:00 UTC of the day.
    pub fn epoch_seconds(self) -> i64 {
        /// The Julian day number of 1970-01-01.
        const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
        (i64::from(self.0.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY) * 86_400
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl Serialize for IsoDate {
    /// As written: `"2017-04-01"` (the JSON of `quire check --json` is a stable interface).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::IsoDate;

    #[test]
    fn date_parts_and_epoch() {
        let d = IsoDate::parse("2017-04-01").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2017, 4, 1));
        assert_eq!(d.epoch_seconds(), 1_491_004_800);
        assert_eq!(IsoDate::parse("1970-01-01").unwrap().epoch_seconds(), 0);
        assert_eq!(
            IsoDate::parse("2000-03-01").unwrap().epoch_seconds(),
            951_868_800
        );
        assert_eq!(d.to_string(), "2017-04-01");
    }

    #[test]
    fn date_rejects_what_is_not_a_day() {
        assert!(IsoDate::parse("2017-13-01")
            .unwrap_err()
            .contains("no month 13"));
        assert!(IsoDate::parse("2017-02-29")
            .unwrap_err()
            .contains("no day 29 in month 2"));
        assert!(IsoDate::parse("2016-02-29").is_ok());
        for bad in [
            "2017-4-1",
            "17-04-01",
            "2017/04/01",
            "2017-04-01x",
            "+017-04-01",
            "",
        ] {
            assert!(IsoDate::parse(bad).is_err(), "{bad}");
        }
    }
}
