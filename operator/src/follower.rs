//! The operator's root-chain follower: [`plasma_follower`] over the [`Node`] as its
//! journal. Deposits are credited and exit events recorded once `confirmations` blocks
//! deep, so a reorganisation within that margin never reaches the UTXO set; a deeper one
//! rolls the node back to the common ancestor (deposits taken back if nothing spends them
//! yet, exit events undone) and follows again.

use std::{sync::Arc, time::Duration};

use plasma_follower::Follower;

use crate::node::Node;

/// Follows forever; every answered step tells the node the root chain is reachable.
pub async fn run(node: Arc<Node>, follower: Follower, poll: Duration) {
    follower
        .run(&*node, poll, |step| {
            if step.is_ok() {
                node.root_chain_reached();
            }
        })
        .await;
}
