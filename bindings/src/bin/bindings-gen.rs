//! Regenerates `bindings/artifacts/` from `solidity/src` with foundry-compilers, or with
//! `--check` fails when the committed artifacts differ from the sources.

fn main() -> eyre::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let check = std::env::args().skip(1).any(|a| a == "--check");
    let root = plasma_bindings::generate::workspace_root();
    if check {
        plasma_bindings::generate::check(&root)?;
        tracing::info!("bindings/artifacts match solidity/src");
    } else {
        plasma_bindings::generate::write(&root)?;
        tracing::info!("wrote bindings/artifacts");
    }
    Ok(())
}
