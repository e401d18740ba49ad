//! Transaction format, Merkle tree, EIP-712 signing and validation shared by every
//! off-chain part of the Plasma chain. Everything here implements docs/SPEC.md byte for
//! byte; the shared vectors (`vectors/core.json`, [`vectors`]) pin it against Solidity.
//!
//! - [`position`]: UTXO positions.
//! - [`canonical`]: the one spelling of each path and query parameter.
//! - [`tx`]: transactions and their canonical encoding.
//! - [`merkle`]: the depth-16 block tree.
//! - [`sign`]: EIP-712 hashes, signing and libsecp256k1 recovery.
//! - [`deposit`]: deposit transactions and roots as the root chain builds them.
//! - [`signed`]: transactions with signatures, in wire form.
//! - [`validate`]: signature, owner, conservation and fee checks of a payment.
//! - [`transition`]: what a block spends and creates, and whether it is valid.
//! - [`par`]: the one parallel map.
//! - [`block`]: the operator's block feed format.
//! - [`exit`]: what an exit removes from the child chain.

#[cfg(any(test, feature = "arbitrary"))]
pub mod arbitrary;
pub mod block;
pub mod canonical;
pub mod deposit;
pub mod exit;
pub mod merkle;
pub mod par;
pub mod position;
pub mod sign;
pub mod signed;
pub mod transition;
pub mod tx;
pub mod validate;
#[cfg(any(test, feature = "vectors"))]
pub mod vectors;

pub use position::{CHILD_BLOCK_INTERVAL, UtxoPos};
pub use tx::{DecodeError, Output, Transaction, TxType};
