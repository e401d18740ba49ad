//! The JSON types of the two services' REST APIs (docs/SPEC.md "Operator HTTP API",
//! docs/INDEXER.md), in the spirit of alloy's `rpc-types`: one definition of each answer,
//! shared by the servers that write them and the clients that read them.
//!
//! Encodings follow what the servers emit: numbers that fit in 64 bits are JSON numbers,
//! amounts are decimal strings ([`amount`]), hashes, addresses and bytes are `0x` hex,
//! field names are camelCase.

pub mod amount;
mod error;
pub mod health;
pub mod indexer;
pub mod operator;

pub use error::{ErrorBody, ErrorDetail};
pub use health::HealthProblem;
