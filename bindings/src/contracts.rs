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
