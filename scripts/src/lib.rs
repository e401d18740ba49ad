//! `plasma`: deploy the root chain, run a one-command devnet, move money in, around and
//! out as a user, and measure what it all costs on the root chain.
//!
//! One file per subcommand under [`cmd`], each a clap `…Args` struct with `run` that
//! parses, calls the client library (`plasma-client`: the operator's and the indexer's
//! clients, the user flows, deploying) or the process control (`plasma-devnet`), and
//! prints through [`Output`]. [`cost`] holds the cost report's measuring and figures. The
//! binary only parses the command line and calls [`run`].

pub mod cmd;
pub mod cost;
pub mod output;

use clap::{Parser, Subcommand};

pub use output::Output;

/// The `plasma` command line.
#[derive(Debug, Parser)]
#[command(
    name = "plasma",
    version,
    about = "Plasma toolkit: deploy, devnet, user CLI and cost report"
)]
pub struct Cli {
    /// Print results as JSON (one document per command) instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Deploy RootChain to an RPC endpoint and write the deployment file.
    Deploy(cmd::deploy::DeployArgs),
    /// Start anvil, the contracts, the operator and the indexer; Ctrl-C stops everything.
    Devnet(cmd::devnet::DevnetArgs),
    /// Deposit ETH or an ERC-20 token into the child chain.
    Deposit(cmd::deposit::DepositArgs),
    /// Send a payment on the child chain.
    Send(cmd::send::SendArgs),
    /// Balances on the root chain and on the child chain.
    Balance(cmd::balance::BalanceArgs),
    /// Unspent child-chain outputs of an address.
    Utxos(cmd::utxos::UtxosArgs),
    /// History of an address (deposits, transfers, exits).
    History(cmd::history::HistoryArgs),
    /// Start standard exits with proofs from the indexer, or a journal entry's in-flight exit.
    Exit(cmd::exit::ExitArgs),
    /// Piggyback an input or output of an in-flight exit.
    Piggyback(cmd::piggyback::PiggybackArgs),
    /// Challenge an exit of a spent output, or act in an in-flight exit's game.
    Challenge(cmd::challenge::ChallengeArgs),
    /// Process matured exits of a token.
    Process(cmd::process::ProcessArgs),
    /// Status of the root chain, the operator and the indexer; a user's pending
    /// transactions and open exits.
    Status(cmd::status::StatusArgs),
    /// Measure the root-chain gas of every operation and recompute the seed case study.
    CostReport(cmd::cost_report::CostReportArgs),
    /// Run the forge fork tests against a local mainnet stand-in (or MAINNET_RPC_URL).
    ForkTest(cmd::fork_test::ForkTestArgs),
    /// Run a throwaway devnet under traffic and injected faults, then audit it.
    Soak(cmd::soak::SoakArgs),
    /// Watch the operator and the indexers; when something is wrong, take the funds out.
    Watch(cmd::watch::WatchArgs),
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> eyre::Result<()> {
    let out = Output::new(cli.json);
    match cli.command {
        Command::Deploy(args) => args.run(&out).await,
        Command::Devnet(args) => args.run(&out).await,
        Command::Deposit(args) => args.run(&out).await,
        Command::Send(args) => args.run(&out).await,
        Command::Balance(args) => args.run(&out).await,
        Command::Utxos(args) => args.run(&out).await,
        Command::History(args) => args.run(&out).await,
        Command::Exit(args) => args.run(&out).await,
        Command::Piggyback(args) => args.run(&out).await,
        Command::Challenge(args) => args.run(&out).await,
        Command::Process(args) => args.run(&out).await,
        Command::Status(args) => args.run(&out).await,
        Command::CostReport(args) => args.run(&out).await,
        Command::ForkTest(args) => args.run(&out).await,
        Command::Soak(args) => args.run(&out).await,
        Command::Watch(args) => args.run(&out).await,
    }
}
