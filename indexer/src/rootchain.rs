//! The RootChain ABI the indexer reads events from and sends challenges to, from the
//! shared interface `solidity/src/interfaces/IRootChain.sol`.

#![allow(missing_docs)]

alloy::sol!(
    #[sol(rpc, all_derives)]
    "../solidity/src/interfaces/IRootChain.sol"
);
