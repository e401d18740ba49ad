//! The whole indexer service against real anvil with the real RootChain contract, the
//! feed double over loopback HTTP, and a real SQLite file.

use crate::helpers::*;
use alloy::{
    node_bindings::AnvilInstance,
    primitives::{Address, B256, Bytes, U256},
    providers::{DynProvider, Provider},
    signers::local::PrivateKeySigner,
    sol_types::Eip712Domain,
};
use plasma_bindings::{RootChain, test_utils};
use plasma_core::{merkle::MerkleTree, sign};
use plasma_indexer::{Args, Service};
use plasma_service::RootChainArgs;
use std::{path::PathBuf, time::Duration};

/// Bonds repay gas at 500 gwei, so the standard-exit bond is 0.1 ether.
pub(crate) const BOND_GAS_PRICE: u64 = 500_000_000_000;
pub(crate) const BOND: u64 = 100_000_000_000_000_000;
/// What a successful challenger earns: 70,000 gas at BOND_GAS_PRICE.
pub(crate) const CHALLENGER_SHARE: u64 = 35_000_000_000_000_000;
/// What a processor earns per exit: 60,000 gas at BOND_GAS_PRICE.
pub(crate) const PROCESS_BOUNTY: u64 = 30_000_000_000_000_000;
pub(crate) const ETH: u64 = 1_000_000_000_000_000_000;

/// A chain with a deployed RootChain: providers for the operator, users and the challenger.
pub(crate) struct Chain {
    pub(crate) anvil: AnvilInstance,
    pub(crate) root_chain: Address,
    pub(crate) standard_exit_game: Address,
    pub(crate) in_flight_exit_game: Address,
    pub(crate) in_flight_exit_challenges: Address,
    pub(crate) deploy_block: u64,
    pub(crate) keys: Vec<PrivateKeySigner>,
    pub(crate) domain: Eip712Domain,
}

impl Chain {
    pub(crate) async fn start() -> Self {
        let anvil = test_utils::spawn_anvil().expect("anvil starts");
        let keys: Vec<PrivateKeySigner> = (0..10).map(|i| test_utils::signer(&anvil, i)).collect();
        let provider = test_utils::wallet_provider(&anvil, 0);
        let contract = test_utils::deploy_root_chain(
            provider.clone(),
            keys[0].address(),
            60,
            U256::from(BOND_GAS_PRICE),
        )
        .await
        .expect("deployed");
        let root_chain = *contract.address();
        let standard_exit_game = contract.STANDARD_EXIT_GAME().call().await.expect("game");
        let in_flight_exit_game = contract.IN_FLIGHT_EXIT_GAME().call().await.expect("game");
        let in_flight_exit_challenges = contract
            .IN_FLIGHT_EXIT_CHALLENGES()
            .call()
            .await
            .expect("module");
        let deploy_block = provider.get_block_number().await.expect("head");
        let domain = sign::domain(31337, root_chain);
        Self {
            anvil,
            root_chain,
            standard_exit_game,
            in_flight_exit_game,
            in_flight_exit_challenges,
            deploy_block,
            keys,
            domain,
        }
    }

    pub(crate) fn provider(&self, key: usize) -> DynProvider {
        test_utils::wallet_provider(&self.anvil, key)
    }

    pub(crate) fn contract(&self, key: usize) -> RootChain::RootChainInstance<DynProvider> {
        RootChain::new(self.root_chain, self.provider(key))
    }

    pub(crate) fn deployment(&self, dir: &std::path::Path) -> PathBuf {
        let path = dir.join("deployment.json");
        plasma_bindings::Deployment {
            chain_id: 31337,
            root_chain: self.root_chain,
            standard_exit_game: self.standard_exit_game,
            in_flight_exit_game: self.in_flight_exit_game,
            in_flight_exit_challenges: self.in_flight_exit_challenges,
            deploy_block: self.deploy_block,
            operator: self.keys[0].address(),
            min_exit_period: 60,
            bond_gas_price: U256::from(BOND_GAS_PRICE),
            exit_bond: U256::from(BOND),
            process_bounty: U256::from(PROCESS_BOUNTY),
        }
        .write(&path)
        .expect("writes deployment");
        path
    }

    pub(crate) async fn deposit(&self, key: usize, amount: u64) {
        let owner = self.keys[key].address();
        let contract = self.contract(key);
        let call = contract.depositETH(owner).value(U256::from(amount));
        call.send()
            .await
            .expect("deposit sent")
            .get_receipt()
            .await
            .expect("deposit mined");
    }

    /// Key 1 deposits 1 ETH and pays `to_bob` of it to key 2 in block 1000, published on
    /// `feed` and committed; waits until the indexer at `api` checked it.
    pub(crate) async fn deposit_and_pay(&self, feed: &FeedDouble, api: &str, to_bob: u64) {
        self.deposit(1, ETH).await;
        let (alice, bob) = (&self.keys[1], &self.keys[2]);
        let outputs = vec![
            eth(bob.address(), to_bob),
            eth(alice.address(), ETH - to_bob),
        ];
        let b1000 = block(1000, vec![payment(&self.domain, &[(D1, alice)], outputs)]);
        feed.publish(b1000.clone());
        self.submit(b1000.root).await;
        wait_for(&format!("{api}/v1/status"), "block 1000 valid", |s| {
            s["child"]["valid"] == 1000
        })
        .await;
    }

    /// Starts the indexer service on `dir`; returns it and its base URL.
    pub(crate) async fn indexer(
        &self,
        dir: &std::path::Path,
        feed_url: &str,
        challenger: Option<usize>,
        timeout: u64,
    ) -> (Service, String) {
        let mut args = args(self, dir, feed_url, challenger, timeout);
        args.database_url = crate::backend::database_url(dir).await;
        let service = plasma_indexer::start(args).await.expect("indexer starts");
        let api = format!("http://{}", service.addr);
        (service, api)
    }

    /// Starts a standard exit from `key` with the bond; true when the contract accepted it.
    pub(crate) async fn start_exit(
        &self,
        key: usize,
        pos: u64,
        tx: Bytes,
        proof: Bytes,
        timestamp: u64,
    ) -> bool {
        let contract = self.contract(key);
        let call = contract
            .startStandardExit(pos, tx, proof, U256::from(timestamp))
            .value(U256::from(BOND));
        call.send()
            .await
            .expect("exit sent")
            .get_receipt()
            .await
            .expect("exit mined")
            .status()
    }

    /// Key 1 exits deposit 1 (1 ETH) with a proof built here, the block's timestamp from
    /// the indexer at `api`; true when the contract accepted it.
    pub(crate) async fn exit_deposit_1(&self, api: &str) -> bool {
        let owner = self.keys[1].address();
        let deposit_tx = plasma_core::deposit::deposit_tx(1, owner, Address::ZERO, U256::from(ETH));
        let proof = MerkleTree::from_txs([deposit_tx.encode()])
            .unwrap()
            .proof(0)
            .unwrap();
        let (_, block) = get_json(&format!("{api}/v1/blocks/1")).await;
        let timestamp = block["timestamp"].as_u64().unwrap();
        self.start_exit(1, D1, deposit_tx.encode(), proof, timestamp)
            .await
    }

    /// Starts a standard exit from `key` with exit data served by the indexer.
    pub(crate) async fn exit_with(&self, key: usize, data: &serde_json::Value) -> bool {
        let (pos, ts) = (
            data["utxoPos"].as_u64().expect("pos"),
            data["blockTimestamp"].as_u64().expect("ts"),
        );
        self.start_exit(
            key,
            pos,
            hex_bytes(&data["txBytes"]),
            hex_bytes(&data["proof"]),
            ts,
        )
        .await
    }

    pub(crate) async fn submit(&self, root: B256) {
        let contract = self.contract(0);
        let call = contract.submitBlock(root);
        call.send()
            .await
            .expect("submit sent")
            .get_receipt()
            .await
            .expect("submit mined");
    }
}

/// Indexer arguments for `chain`, feed `feed_url`, database in `dir`.
pub(crate) fn args(
    chain: &Chain,
    dir: &std::path::Path,
    feed_url: &str,
    challenger: Option<usize>,
    timeout: u64,
) -> Args {
    Args {
        chain: RootChainArgs {
            rpc_url: chain.anvil.endpoint(),
            deployment: chain.deployment(dir),
            confirmations: 0,
            poll_interval_ms: 50,
            unreachable_after_ms: 30_000,
        },
        operator_url: feed_url.to_owned(),
        data_dir: Some(dir.to_owned()),
        database_url: None,
        role: plasma_indexer::Role::All,
        listen: "127.0.0.1:0".parse().expect("addr"),
        challenger_key: challenger
            .map(|k| format!("0x{}", alloy::hex::encode(chain.keys[k].to_bytes()))),
        withholding_timeout_secs: timeout,
        maturity_warning_secs: None,
        proof_cache_blocks: 8,
        max_root_lag_blocks: 100,
        max_child_lag_blocks: 10,
        max_writer_report_age_secs: 30,
        edge: Default::default(),
    }
}

/// Polls `url` until `done` holds for its JSON (10 s at most).
pub(crate) async fn wait_for(
    url: &str,
    what: &str,
    mut done: impl FnMut(&serde_json::Value) -> bool,
) -> serde_json::Value {
    for _ in 0..200 {
        if let Ok(response) = reqwest::get(url).await
            && let Ok(body) = response.json::<serde_json::Value>().await
            && done(&body)
        {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what} at {url}");
}

fn hex_bytes(v: &serde_json::Value) -> Bytes {
    v.as_str().expect("hex string").parse().expect("hex bytes")
}

#[tokio::test]
async fn proofs_are_accepted_by_the_contract_and_invalid_exits_are_challenged() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let feed = FeedDouble::start().await;
    let challenger = 9;
    let (service, api) = chain
        .indexer(dir.path(), &feed.url, Some(challenger), 1)
        .await;
    chain.deposit_and_pay(&feed, &api, 6).await;

    // 1. The exit data served by the indexer is accepted by startStandardExit.
    let (status, data) = get_json(&format!("{api}/v1/outputs/{}/exit-data", B1000 + 1)).await;
    assert_eq!(status, 200, "{data}");
    assert!(
        chain.exit_with(1, &data).await,
        "startStandardExit accepted the indexer's proof"
    );
    let exit = wait_for(&format!("{api}/v1/exits/{}", B1000 + 1), "exit seen", |e| {
        e["status"] == "active"
    })
    .await;
    let predicted = data["exitableAtIfStartedNow"].as_u64().unwrap();
    let actual = exit["exitableAt"].as_u64().unwrap();
    assert!(
        actual >= predicted && actual <= predicted + 5,
        "predicted {predicted}, contract {actual}"
    );

    // 2. Alice exits her deposit although she spent it in block 1000: the watchtower
    //    raises invalid_exit and challenges it; the bond arrives at the challenger.
    let before = chain
        .provider(0)
        .get_balance(chain.keys[challenger].address())
        .await
        .unwrap();
    assert!(chain.exit_deposit_1(&api).await);
    let exit = wait_for(&format!("{api}/v1/exits/{D1}"), "challenge", |e| {
        e["status"] == "challenged" && e["ourChallengeTx"].is_string()
    })
    .await;
    assert_eq!(
        exit["challenger"],
        format!("{:#x}", chain.keys[challenger].address())
    );
    let ours: B256 = exit["ourChallengeTx"]
        .as_str()
        .expect("our challenge tx")
        .parse()
        .unwrap();
    let receipt = chain
        .provider(0)
        .get_transaction_receipt(ours)
        .await
        .unwrap()
        .expect("receipt");
    let gas = U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price);
    let after = chain
        .provider(0)
        .get_balance(chain.keys[challenger].address())
        .await
        .unwrap();
    assert_eq!(
        after + gas - before,
        U256::from(CHALLENGER_SHARE),
        "the challenger's share of the bond arrived at the challenger"
    );
    let status = wait_for(&format!("{api}/v1/status"), "events", |s| {
        s["byzantineEvents"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    })
    .await;
    let events = status["byzantineEvents"].as_array().unwrap();
    assert_eq!(events[0]["kind"], "invalid_exit");
    assert_eq!(events[0]["utxoPos"], D1);
    assert!(
        events[0]["resolvedAt"].is_u64(),
        "resolved by the challenge: {status}"
    );
    service.stop().await.unwrap();
}

#[tokio::test]
async fn withheld_then_invalid_blocks_on_chain_raise_events() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let feed = FeedDouble::start().await;
    let (service, api) = chain.indexer(dir.path(), &feed.url, None, 1).await;
    let (alice, bob) = (chain.keys[1].clone(), chain.keys[2].clone());
    chain.deposit(1, ETH).await;

    // Withheld: the root is on chain, the feed does not have the data.
    let b1000 = block(
        1000,
        vec![payment(
            &chain.domain,
            &[(D1, &alice)],
            vec![eth(bob.address(), ETH)],
        )],
    );
    chain.submit(b1000.root).await;
    let status = wait_for(&format!("{api}/v1/status"), "block_withheld", |s| {
        s["byzantineEvents"][0]["kind"] == "block_withheld"
    })
    .await;
    assert_eq!(status["byzantineEvents"][0]["blknum"], 1000);
    assert_eq!(status["child"]["valid"], serde_json::Value::Null);
    feed.publish(b1000);
    wait_for(&format!("{api}/v1/status"), "resolution", |s| {
        s["byzantineEvents"][0]["resolvedAt"].is_u64() && s["child"]["valid"] == 1000
    })
    .await;

    // Invalid: block 2000 spends alice's deposit again (already spent in 1000).
    let b2000 = block(
        2000,
        vec![payment(
            &chain.domain,
            &[(D1, &alice)],
            vec![eth(alice.address(), ETH)],
        )],
    );
    feed.publish(b2000.clone());
    chain.submit(b2000.root).await;
    let status = wait_for(&format!("{api}/v1/status"), "invalid_block", |s| {
        s["child"]["halted"] == true
    })
    .await;
    let invalid = &status["byzantineEvents"][1];
    assert_eq!(
        (invalid["kind"].as_str(), invalid["blknum"].as_u64()),
        (Some("invalid_block"), Some(2000))
    );
    assert!(
        invalid["detail"]
            .as_str()
            .unwrap()
            .contains("already spent"),
        "{invalid}"
    );
    let b3000 = block(3000, vec![]);
    chain.submit(b3000.root).await;
    let blocks = wait_for(&format!("{api}/v1/blocks"), "3000", |b| {
        b["blocks"][0]["blknum"] == 3000
    })
    .await;
    assert_eq!(blocks["blocks"][0]["status"], "untrusted");
    service.stop().await.unwrap();
}
