//! Where the service binaries are: the CLI's devnet and the tests start the real
//! `plasma-operator` and `plasma-indexer` found here.

use std::path::{Path, PathBuf};

/// A service binary that could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} not found: {hint}")]
pub struct NotFound {
    /// What was looked for, and where.
    pub what: String,
    /// How to fix it.
    pub hint: String,
}

/// Locates the workspace binary `name`: the override in `env_var`, else next to the
/// running executable, or one level up (test binaries live in `target/<profile>/deps`).
pub fn sibling_bin(name: &str, env_var: &str) -> Result<PathBuf, NotFound> {
    if let Some(path) = std::env::var_os(env_var) {
        let path = PathBuf::from(path);
        if path.is_file() {
            return Ok(path);
        }
        return Err(NotFound {
            what: format!("{name} at ${env_var}={}", path.display()),
            hint: format!("point {env_var} at the binary or unset it"),
        });
    }
    let exe = std::env::current_exe().map_err(|e| NotFound {
        what: name.into(),
        hint: format!("cannot locate the running executable: {e}"),
    })?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    [dir.join(name), dir.parent().unwrap_or(dir).join(name)]
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| NotFound {
            what: format!("{name} next to {}", exe.display()),
            hint: format!(
                "build it with `cargo build -p {name}` (add --release for a release plasma) or set {env_var}"
            ),
        })
}
