//! Command output: a human text form on stdout, or with the global `--json` flag one JSON
//! document per command for scripts. Progress and diagnostics go to stderr via tracing.

use std::io::Write;

use serde::Serialize;

/// Where a command writes its result.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    json: bool,
}

impl Output {
    /// `json` selects the machine-readable form.
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Writes `value` as JSON, or `human` (lines of text) without `--json`.
    pub fn emit<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce(&T) -> String,
    ) -> eyre::Result<()> {
        let text = if self.json {
            serde_json::to_string_pretty(value)?
        } else {
            human(value)
        };
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", text.trim_end())?;
        stdout.flush()?;
        Ok(())
    }
}
