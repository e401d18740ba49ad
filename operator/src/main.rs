//! `plasma-operator`: the child-chain operator service (see docs/OPERATOR.md).

use clap::Parser;

fn main() -> eyre::Result<()> {
    plasma_service::init_tracing();
    let args = plasma_operator::Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(plasma_operator::run(args))?;
    Ok(())
}
