//! In-flight exits beyond their events: the [`Resolver`] recovers each exit's transaction
//! bytes from the start's calldata (the event carries only its hash, the exit id) and the
//! start's root-chain time (which opens the first phase); [`watch`] is the watchtower's
//! in-flight part: it raises the in-flight byzantine events, resolves those whose
//! condition no longer holds, and (with the challenger key) challenges non-canonical
//! exits, answers invalid canonicity challenges and challenges invalid piggybacks.
//!
//! | module | what |
//! |---|---|
//! | `resolver` | the [`Resolver`] task, its [`ResolveError`] and [`find_tx_bytes`] |
//! | `checks` | [`watch`]: one pass over the in-flight exits, the events raised and resolved |
//! | `competitor` | the best known competitor of an in-flight transaction |
//! | `actions` | the transactions the watchtower sends, once per exit, action and index |

mod actions;
mod checks;
mod competitor;
mod resolver;

pub(crate) use actions::confirmed;
pub(crate) use checks::watch;
pub(crate) use competitor::{Competitor, competitor};
pub use resolver::{ResolveError, Resolver, find_tx_bytes};

use std::collections::HashSet;

/// What one pass found and did.
#[derive(Debug, Default)]
struct Pass {
    /// Keys of the in-flight events whose condition holds now.
    holding: HashSet<String>,
    /// Transactions sent.
    sent: usize,
}
