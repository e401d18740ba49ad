//! The follower against real anvil: what a journal holds after any mix of deposits,
//! rollbacks and reorganisations equals what a fresh journal holds after following the
//! same chain from the deployment.

use std::{collections::BTreeMap, sync::Mutex};

use alloy::{
    node_bindings::AnvilInstance,
    primitives::{Address, B256, U256},
    providers::{DynProvider, Provider},
};
use plasma_bindings::{
    RootChain::RootChainInstance,
    test_utils::{deploy_root_chain, signer, spawn_anvil, wallet_provider},
};
use plasma_follower::{Batch, Follower, FollowerConfig, Journal, Outcome, RootChainEvents, Step};

/// What a journal holds: the deposits (root-chain block, child block, amount), the
/// headers and the cursor.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct State {
    deposits: Vec<(u64, u64, U256)>,
    headers: BTreeMap<u64, B256>,
    cursor: Option<(u64, B256)>,
}

#[derive(Debug, Default)]
struct MemJournal(Mutex<State>);

#[derive(Debug, thiserror::Error)]
#[error("never")]
struct Never;

impl MemJournal {
    fn state(&self) -> State {
        self.0.lock().unwrap().clone()
    }
}

impl Journal for MemJournal {
    type Error = Never;

    async fn cursor(&self) -> Result<Option<(u64, B256)>, Never> {
        Ok(self.0.lock().unwrap().cursor)
    }

    async fn headers(&self, below: u64, limit: usize) -> Result<Vec<(u64, B256)>, Never> {
        let s = self.0.lock().unwrap();
        Ok(s.headers
            .range(..=below)
            .rev()
            .take(limit)
            .map(|(n, h)| (*n, *h))
            .collect())
    }

    async fn apply(&self, batch: &Batch) -> Result<(), Never> {
        let mut s = self.0.lock().unwrap();
        for log in &batch.logs {
            if let RootChainEvents::DepositCreated(e) = &log.event {
                s.deposits.push((log.block, e.blknum.to::<u64>(), e.amount));
            }
        }
        s.headers.insert(batch.to, batch.to_hash);
        s.cursor = Some((batch.to, batch.to_hash));
        Ok(())
    }

    async fn rollback_to(&self, ancestor: u64, hash: B256) -> Result<(), Never> {
        let mut s = self.0.lock().unwrap();
        s.deposits.retain(|d| d.0 <= ancestor);
        s.headers.retain(|n, _| *n <= ancestor);
        s.cursor = Some((ancestor, hash));
        Ok(())
    }
}

struct Chain {
    /// Kept alive: anvil is killed when dropped.
    _anvil: AnvilInstance,
    provider: DynProvider,
    /// The account that deploys and deposits.
    from: Address,
    root: RootChainInstance<DynProvider>,
    deploy_block: u64,
}

impl Chain {
    async fn start() -> Self {
        let anvil = spawn_anvil().expect("anvil");
        let provider = wallet_provider(&anvil, 0);
        let root = deploy_root_chain(
            provider.clone(),
            signer(&anvil, 0).address(),
            60,
            U256::from(1_000_000_000u64),
        )
        .await
        .expect("deploy");
        let deploy_block = provider.get_block_number().await.unwrap();
        Self {
            from: signer(&anvil, 0).address(),
            _anvil: anvil,
            provider,
            root,
            deploy_block,
        }
    }

    fn follower(&self, confirmations: u64, max_range: u64) -> Follower {
        Follower::new(
            self.provider.clone(),
            FollowerConfig {
                root_chain: *self.root.address(),
                deploy_block: self.deploy_block,
                confirmations,
                max_range,
            },
        )
    }

    async fn deposit(&self, wei: u64) {
        let fee: U256 = self.root.depositFee().call().await.unwrap();
        // The nonce asked each time: the provider's cache would not see a rollback.
        let nonce = self
            .provider
            .get_transaction_count(self.from)
            .await
            .unwrap();
        let sent = self
            .root
            .depositETH(Address::repeat_byte(7))
            .value(fee + U256::from(wei))
            .nonce(nonce)
            .send()
            .await
            .unwrap();
        for _ in 0..200 {
            if let Some(receipt) = self
                .provider
                .get_transaction_receipt(*sent.tx_hash())
                .await
                .unwrap()
            {
                assert!(receipt.status(), "deposit reverted");
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("deposit not mined");
    }

    async fn rpc(&self, method: &'static str, params: serde_json::Value) {
        let _: serde_json::Value = self
            .provider
            .raw_request(method.into(), params)
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"));
    }

    async fn mine(&self, blocks: u64) {
        self.rpc("anvil_mine", serde_json::json!([blocks])).await;
    }
}

/// Steps until idle; returns every outcome.
async fn follow(follower: &Follower, journal: &MemJournal) -> Vec<Outcome> {
    let mut seen = Vec::new();
    for _ in 0..1_000 {
        let Step { outcome, .. } = follower.step(journal).await.expect("step");
        if outcome == Outcome::Idle {
            return seen;
        }
        seen.push(outcome);
    }
    panic!("the follower never went idle: {seen:?}");
}

async fn assert_equals_fresh_follow(chain: &Chain, journal: &MemJournal, confirmations: u64) {
    let fresh = MemJournal::default();
    follow(&chain.follower(confirmations, 1_000), &fresh).await;
    let (followed, fresh) = (journal.state(), fresh.state());
    assert_eq!(followed.deposits, fresh.deposits);
    assert_eq!(followed.cursor, fresh.cursor);
}

#[tokio::test]
async fn follows_behind_the_margin_in_ranges() {
    let chain = Chain::start().await;
    let (journal, follower) = (MemJournal::default(), chain.follower(2, 1));
    for wei in 1..=4 {
        chain.deposit(wei).await;
    }
    let outcomes = follow(&follower, &journal).await;
    let head = chain.provider.get_block_number().await.unwrap();
    assert_eq!(journal.state().cursor.map(|c| c.0), Some(head - 2));
    assert!(
        outcomes.len() >= 2,
        "ranges of at most 3 blocks: {outcomes:?}"
    );
    // The last two deposits are within the margin.
    let amounts: Vec<u64> = journal.state().deposits.iter().map(|d| d.2.to()).collect();
    assert_eq!(amounts, [1, 2]);
    chain.mine(2).await;
    follow(&follower, &journal).await;
    assert_equals_fresh_follow(&chain, &journal, 2).await;
    assert_eq!(journal.state().deposits.len(), 4);
}

#[tokio::test]
async fn a_reorganisation_deeper_than_the_margin_rolls_back_to_the_common_ancestor() {
    let chain = Chain::start().await;
    let (journal, follower) = (MemJournal::default(), chain.follower(1, 2));
    for wei in 1..=3 {
        chain.deposit(wei).await;
        chain.mine(1).await;
    }
    chain.mine(1).await;
    follow(&follower, &journal).await;
    assert_eq!(journal.state().deposits.len(), 3);
    let before = journal.state();

    // Drop the last four blocks (the third deposit among them), then build a longer
    // history at the same heights with another deposit in it.
    chain.rpc("anvil_rollback", serde_json::json!([4])).await;
    chain.deposit(50).await;
    chain.mine(6).await;
    let outcomes = follow(&follower, &journal).await;
    let Some(Outcome::RolledBack(ancestor)) = outcomes.first().copied() else {
        panic!("expected a rollback first: {outcomes:?}");
    };
    let head = chain.provider.get_block_number().await.unwrap();
    assert!(
        ancestor < head - 4 + 1,
        "ancestor {ancestor} below the reorganised blocks"
    );
    assert!(before.headers.contains_key(&ancestor), "a stored header");
    let amounts: Vec<u64> = journal.state().deposits.iter().map(|d| d.2.to()).collect();
    assert_eq!(
        amounts,
        [1, 2, 50],
        "the third deposit is gone, the new one is in"
    );
    assert_equals_fresh_follow(&chain, &journal, 1).await;
}

#[tokio::test]
async fn a_chain_shorter_than_the_cursor_rolls_back_and_follows_again() {
    let chain = Chain::start().await;
    let (journal, follower) = (MemJournal::default(), chain.follower(0, 100));
    chain.deposit(1).await;
    chain.deposit(2).await;
    follow(&follower, &journal).await;
    assert_eq!(journal.state().deposits.len(), 2);

    chain.rpc("anvil_rollback", serde_json::json!([1])).await;
    let outcomes = follow(&follower, &journal).await;
    assert!(
        matches!(outcomes.first(), Some(Outcome::RolledBack(_))),
        "{outcomes:?}"
    );
    let amounts: Vec<u64> = journal.state().deposits.iter().map(|d| d.2.to()).collect();
    assert_eq!(amounts, [1]);
    assert_equals_fresh_follow(&chain, &journal, 0).await;
}
