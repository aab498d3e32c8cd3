//! What a run takes from its environment, read once per process: SOURCE_DATE_EPOCH and the clock.

use quire::diag::Diagnostic;
use quire::RenderOptions;
use std::sync::OnceLock;

/// The environment of this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Env {
    /// SOURCE_DATE_EPOCH (reproducible builds): seconds since the epoch, when set.
    pub source_date_epoch: Option<i64>,
    /// The clock when the run first asked: seconds since the epoch.
    pub now: i64,
}

/// SOURCE_DATE_EPOCH is set to something that is not a whole number of seconds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SOURCE_DATE_EPOCH \"{0}\" is not a number of seconds")]
pub struct BadEpoch(pub String);

impl BadEpoch {
    /// The error as a diagnostic ("SOURCE_DATE_EPOCH: error: …").
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(
            "SOURCE_DATE_EPOCH",
            0,
            0,
            format!("\"{}\" is not a number of seconds", self.0),
        )
    }
}

impl From<BadEpoch> for Vec<Diagnostic> {
    fn from(e: BadEpoch) -> Self {
        vec![e.diagnostic()]
    }
}

impl Env {
    /// The render options this environment gives (the rest at their defaults).
    pub fn render_options(&self) -> RenderOptions {
        RenderOptions {
            source_date_epoch: self.source_date_epoch,
            now: self.now,
            ..RenderOptions::default()
        }
    }

    /// The date a run stamps on what it makes: SOURCE_DATE_EPOCH, else the clock.
    pub fn date(&self) -> i64 {
        self.source_date_epoch.unwrap_or(self.now)
    }
}

/// The environment, read on the first call; every later call gives the same answer.
pub fn get() -> Result<Env, BadEpoch> {
    static ENV: OnceLock<Result<Env, BadEpoch>> = OnceLock::new();
    ENV.get_or_init(|| {
        Ok(Env {
            source_date_epoch: parse_epoch(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?,
            now: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        })
    })
    .clone()
}

/// The render options from the environment: SOURCE_DATE_EPOCH and the clock.
pub fn render_options() -> Result<RenderOptions, BadEpoch> {
    get().map(|e| e.render_options())
}

/// SOURCE_DATE_EPOCH's value: unset or blank is `None`; anything but an integer is an error.
fn parse_epoch(value: Option<&str>) -> Result<Option<i64>, BadEpoch> {
    match value {
        Some(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| BadEpoch(v.to_string())),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_parses_source_date_epoch() {
        assert_eq!(parse_epoch(None), Ok(None));
        assert_eq!(parse_epoch(Some("  ")), Ok(None));
        assert_eq!(parse_epoch(Some(" 1491004800\n")), Ok(Some(1491004800)));
        let e = parse_epoch(Some("soon")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "SOURCE_DATE_EPOCH \"soon\" is not a number of seconds"
        );
        assert_eq!(
            e.diagnostic().to_string(),
            "SOURCE_DATE_EPOCH: error: \"soon\" is not a number of seconds"
        );
    }

    #[test]
    fn env_date_prefers_source_date_epoch() {
        let env = Env {
            source_date_epoch: Some(5),
            now: 9,
        };
        assert_eq!(env.date(), 5);
        assert_eq!(
            Env {
                source_date_epoch: None,
                ..env
            }
            .date(),
            9
        );
    }
}
