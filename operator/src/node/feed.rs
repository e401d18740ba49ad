//! What the node shows: the block feed, the status document and the metrics.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, atomic::Ordering},
};

use axum::body::Bytes;

use plasma_core::block::BlockData;
use plasma_rpc_types::operator::OperatorStatus;

use super::Node;
use crate::{metrics::Gauges, store::StoreError};

/// What `GET /v1/status` answers.
pub type Status = OperatorStatus;

impl Node {
    /// The full data of a published child block (the data-availability feed); `None`
    /// for a block that is not sealed or whose data is withheld.
    pub async fn block_data(&self, blknum: u64) -> Result<Option<BlockData>, StoreError> {
        let Some(b) = self.store.block(blknum).await?.filter(|b| !b.withheld) else {
            return Ok(None);
        };
        let txs = self.store.txs_in(b.first_seq, b.last_seq).await?;
        Ok(Some(BlockData {
            blknum,
            root: b.root,
            transactions: txs
                .into_iter()
                .map(|t| Arc::unwrap_or_clone(t.signed).into_signed())
                .collect(),
        }))
    }

    /// [`Node::block_data`] encoded as JSON, from a bounded cache of the
    /// 64 most recently encoded blocks (a published block never changes).
    pub async fn block_json(&self, blknum: u64) -> Result<Option<Bytes>, StoreError> {
        if let Some(json) = self.cached(blknum) {
            return Ok(Some(json));
        }
        let Some(data) = self.block_data(blknum).await? else {
            return Ok(None);
        };
        let json =
            Bytes::from(serde_json::to_vec(&data).map_err(|e| {
                StoreError::Corrupt(format!("block {blknum} does not encode: {e}"))
            })?);
        let mut cache = self.encoded.lock().unwrap_or_else(|p| p.into_inner());
        cache.insert(blknum, json.clone());
        Ok(Some(json))
    }

    fn cached(&self, blknum: u64) -> Option<Bytes> {
        let cache = self.encoded.lock().unwrap_or_else(|p| p.into_inner());
        cache.map.get(&blknum).cloned()
    }

    /// The newest sealed block's number.
    pub async fn latest_blknum(&self) -> Result<Option<u64>, StoreError> {
        self.store.latest_blknum().await
    }

    /// The status document.
    pub fn status(&self) -> Status {
        let (pending, utxos, next_block) = {
            let l = self.ledger();
            (l.unsealed_len(), l.utxo_count(), l.next_blknum())
        };
        let nonzero = |v: u64| (v != 0).then_some(v);
        let submit_error = self.submit_error.lock().ok().and_then(|e| e.clone());
        let problems = self.problems();
        Status {
            chain_id: self.cfg.chain_id,
            root_chain: self.cfg.root_chain,
            next_block,
            latest_sealed_block: nonzero(self.latest_sealed.load(Ordering::SeqCst)),
            latest_submitted_block: nonzero(self.latest_submitted.load(Ordering::SeqCst)),
            pending_txs: pending as u64,
            utxos: utxos as u64,
            deposit_cursor: self.deposit_cursor.load(Ordering::SeqCst),
            min_fee: self.cfg.min_fee,
            block_size: self.cfg.block_size as u64,
            healthy: problems.is_empty(),
            submit_error,
            problems,
        }
    }

    /// The Prometheus text.
    pub fn render_metrics(&self) -> String {
        let s = self.status();
        self.metrics.render(Gauges {
            problems: s.problems,
            pending: s.pending_txs,
            utxos: s.utxos,
            next_blknum: s.next_block,
            deposit_cursor: s.deposit_cursor,
        })
    }
}

/// Published blocks kept encoded.
pub(super) const ENCODED_BLOCKS: usize = 64;

/// A bounded cache of encoded blocks: the oldest inserted is evicted first.
#[derive(Debug, Default)]
pub(super) struct EncodedBlocks {
    map: HashMap<u64, Bytes>,
    order: VecDeque<u64>,
}

impl EncodedBlocks {
    fn insert(&mut self, blknum: u64, json: Bytes) {
        if self.map.insert(blknum, json).is_none() {
            self.order.push_back(blknum);
        }
        while self.order.len() > ENCODED_BLOCKS {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoded_block_cache_keeps_the_newest_64() {
        let mut cache = EncodedBlocks::default();
        for n in 1..=(ENCODED_BLOCKS as u64 + 1) {
            cache.insert(n * 1000, Bytes::from(n.to_string()));
        }
        cache.insert(2000, Bytes::from_static(b"2"));
        assert_eq!(cache.map.len(), ENCODED_BLOCKS);
        assert_eq!(cache.order.len(), ENCODED_BLOCKS);
        assert!(!cache.map.contains_key(&1000), "the oldest is evicted");
        assert_eq!(cache.map[&2000], Bytes::from_static(b"2"));
        assert_eq!(cache.map[&65_000], Bytes::from_static(b"65"));
    }
}
