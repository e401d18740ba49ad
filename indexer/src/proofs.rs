//! Merkle proofs for exit data. Proofs are not stored: the tree of a block is rebuilt
//! from its stored transaction bytes on first use (≈ 50 ms for a full 65,536-transaction
//! block) and kept, all levels, in a bounded in-memory cache, so every later proof of that
//! block is 16 sibling look-ups. A block's data never changes once stored (a reorganisation
//! deletes it and clears the cache entry).

use crate::store::{BlockStore, StoreError};
use alloy::primitives::Bytes;
use plasma_core::merkle::MerkleTree;
use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
};

/// A bounded cache of per-block Merkle trees.
#[derive(Debug)]
pub struct ProofCache {
    capacity: usize,
    inner: Mutex<CacheInner>,
    /// Held while a tree is built, so concurrent misses build it once.
    building: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct CacheInner {
    trees: HashMap<u64, Arc<MerkleTree>>,
    order: VecDeque<u64>,
}

impl ProofCache {
    /// A cache holding at most `capacity` block trees (a full block's tree is ≈ 4 MiB).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            inner: Mutex::new(CacheInner::default()),
            building: tokio::sync::Mutex::new(()),
        }
    }

    fn get(&self, blknum: u64) -> Option<Arc<MerkleTree>> {
        self.inner.lock().ok()?.trees.get(&blknum).cloned()
    }

    fn put(&self, blknum: u64, tree: Arc<MerkleTree>) {
        if let Ok(mut inner) = self.inner.lock() {
            if inner.trees.insert(blknum, tree).is_none() {
                inner.order.push_back(blknum);
            }
            while inner.trees.len() > self.capacity {
                let Some(old) = inner.order.pop_front() else {
                    break;
                };
                inner.trees.remove(&old);
            }
        }
    }

    /// Forgets every tree (after a rollback).
    pub fn clear(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.trees.clear();
            inner.order.clear();
        }
    }

    /// The 512-byte proof of transaction `txindex` of stored block `blknum`.
    pub async fn proof(
        &self,
        store: &impl BlockStore,
        blknum: u64,
        txindex: u64,
    ) -> Result<Bytes, StoreError> {
        let tree = match self.get(blknum) {
            Some(tree) => tree,
            None => {
                let _building = self.building.lock().await;
                if let Some(tree) = self.get(blknum) {
                    return tree
                        .proof(txindex)
                        .map_err(|_| StoreError::corrupt("proof index"));
                }
                let txs = store.block_txs(blknum).await?;
                let tree = tokio::task::spawn_blocking(move || MerkleTree::from_txs(txs.iter()))
                    .await
                    .map_err(|_| StoreError::corrupt("block tree"))?
                    .map_err(|_| StoreError::corrupt("block tree"))?;
                let tree = Arc::new(tree);
                self.put(blknum, tree.clone());
                tree
            }
        };
        tree.proof(txindex)
            .map_err(|_| StoreError::corrupt("proof index"))
    }
}
