//! The `sol!` expansions of the committed artifacts (ABI + bytecode).
#![allow(missing_docs, unreachable_pub, clippy::all)]

alloy::sol!(
    /// The root chain: the framework (blocks, deposits, queues, vault) and, through its
    /// exit-game modules, standard exits and challenges — the whole `IRootChain` ABI.
    #[sol(rpc, all_derives)]
    RootChain,
    "artifacts/RootChain.json"
);

alloy::sol!(
    /// The standard exit-game module a RootChain is deployed with.
    #[sol(rpc, all_derives)]
    StandardExitGame,
    "artifacts/StandardExitGame.json"
);

/// The in-flight exit-game module (start, piggybacks, processing); its own Rust module
/// because its ABI declares the same struct types as the RootChain's.
pub mod in_flight_exit_game {
    alloy::sol!(
        /// The in-flight exit-game module a RootChain is deployed with.
        #[sol(rpc, all_derives)]
        InFlightExitGame,
        "artifacts/InFlightExitGame.json"
    );
}

/// The in-flight exit game's challenge module (see `in_flight_exit_game`).
pub mod in_flight_exit_challenges {
    alloy::sol!(
        /// The in-flight exit game's challenge module, named by its InFlightExitGame.
        #[sol(rpc, all_derives)]
        InFlightExitChallenges,
        "artifacts/InFlightExitChallenges.json"
    );
}

pub use in_flight_exit_challenges::InFlightExitChallenges;
pub use in_flight_exit_game::InFlightExitGame;

alloy::sol!(
    /// Exposes the Solidity transaction, Merkle and signature libraries for cross-language tests.
    #[sol(rpc, all_derives)]
    CoreHarness,
    "artifacts/CoreHarness.json"
);

alloy::sol!(
    /// A mintable ERC-20 for tests.
    #[sol(rpc, all_derives)]
    ERC20Mock,
    "artifacts/ERC20Mock.json"
);

alloy::sol!(
    /// An ERC-20 whose transfers return nothing (like USDT).
    #[sol(rpc, all_derives)]
    NoBoolToken,
    "artifacts/NoBoolToken.json"
);

alloy::sol!(
    /// An ERC-20 that burns a fee on every transfer.
    #[sol(rpc, all_derives)]
    FeeOnTransferToken,
    "artifacts/FeeOnTransferToken.json"
);
