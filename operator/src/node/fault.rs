//! Fault injection for tests of the watchtower (`--byzantine` only): an invalid
//! transaction, a withheld block, spends of exited outputs.

use std::sync::{Arc, atomic::Ordering};

use alloy::{
    primitives::{Address, B256, Bytes, U256},
    signers::local::PrivateKeySigner,
};
use plasma_core::{
    Output, Transaction, UtxoPos,
    position::MAX_CHILD_BLOCK,
    sign::sign,
    signed::{HashedTx, SignedTx},
};

use super::{Node, now_ms};
use crate::{rejection::Rejection, store::LoggedTx, writer::WriteCmd};

impl Node {
    /// Fault injection: appends to the mempool a transaction that spends an output that
    /// does not exist and creates 1 ETH from nothing. It is logged durably like any
    /// other, so the next sealed block is invalid.
    pub async fn inject_invalid_tx(&self) -> Result<B256, Rejection> {
        let key = PrivateKeySigner::from_bytes(&B256::repeat_byte(0xba)).expect("a valid key");
        let input = UtxoPos::new(MAX_CHILD_BLOCK, 0, 0).expect("the last child block's output");
        let out = Output {
            owner: key.address(),
            token: Address::ZERO,
            amount: U256::from(10u64).pow(U256::from(18)),
        };
        let tx = Transaction::payment(
            vec![input],
            vec![out],
            B256::from(U256::from(now_ms() as u64)),
        )
        .expect("one input, one output");
        let sig = sign(&key, &tx, &self.domain).expect("signing with a valid key");
        let signed = Arc::new(HashedTx::new(SignedTx::new(
            tx,
            vec![Bytes::copy_from_slice(&sig)],
        )));
        let hash = signed.hash();
        let done = {
            let mut l = self.ledger();
            let seq = l.push_unchecked(signed.clone());
            self.writer
                .queue(WriteCmd::Txs(vec![LoggedTx { seq, signed }]))
        };
        if !done.await.unwrap_or(false) {
            return Err(Rejection::Unavailable);
        }
        tracing::warn!(%hash, "FAULT INJECTION: invalid transaction added to the mempool");
        Ok(hash)
    }

    /// Fault injection: from now on, spends of exiting and exited outputs are admitted
    /// and sealed (until restart).
    pub fn spend_exited(&self) {
        tracing::warn!("FAULT INJECTION: spends of exiting and exited outputs will be admitted");
        self.ledger().ignore_exits();
    }

    /// Fault injection: the next sealed block's data is withheld from the feed (its
    /// root is still submitted).
    pub fn withhold_next_block(&self) {
        tracing::warn!("FAULT INJECTION: the next block's data will be withheld");
        self.withhold_next.store(true, Ordering::SeqCst);
    }
}
