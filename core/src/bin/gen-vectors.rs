//! Writes the shared test vectors to `vectors/core.json` (or the path given).

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(plasma_core::vectors::default_path);
    plasma_core::vectors::write(&path)
}
