//! The signing provider reads the nonce afresh for every transaction: after a send the
//! node refused and after a reorganisation removed a mined transaction, the next
//! transaction is still mined (alloy's default cached nonce would leave a gap the node
//! never fills, which stalled the watchtower's challenges after an RPC outage).

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, B256, Bytes, U256},
    providers::{DynProvider, Provider},
    rpc::types::TransactionRequest,
};
use plasma_bindings::{
    signing::signing_provider,
    test_utils::{deploy_root_chain, signer, spawn_anvil},
};
use std::time::{Duration, Instant};

async fn mined_within(provider: &DynProvider, hash: B256, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(_)) = provider.get_transaction_receipt(hash).await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn transfer(provider: &DynProvider, to: Address) -> B256 {
    let tx = TransactionRequest::default()
        .with_to(to)
        .with_value(U256::from(1));
    *provider.send_transaction(tx).await.unwrap().tx_hash()
}

#[tokio::test]
async fn refused_sends_and_reorganisations_leave_no_nonce_gap() {
    let anvil = spawn_anvil().unwrap();
    let me = signer(&anvil, 0);
    let other = signer(&anvil, 1).address();
    let provider = signing_provider(anvil.endpoint_url(), me.clone());
    let root = deploy_root_chain(
        provider.clone(),
        me.address(),
        60,
        U256::from(1_000_000_000u64),
    )
    .await
    .unwrap();
    let second = Duration::from_secs(10);

    // Refused at estimation: there is no such exit.
    let refused = root
        .challengeStandardExit(1_000_000_000, Bytes::new(), 0, Bytes::new(), Address::ZERO)
        .send()
        .await;
    assert!(refused.is_err(), "challenging a missing exit is refused");
    let after_refusal = transfer(&provider, other).await;
    assert!(mined_within(&provider, after_refusal, second).await);

    // A reorganisation replaces the block that held it with an empty one.
    let _: serde_json::Value = provider
        .raw_request(
            "anvil_reorg".into(),
            (1u64, Vec::<serde_json::Value>::new()),
        )
        .await
        .unwrap();
    assert!(
        provider
            .get_transaction_receipt(after_refusal)
            .await
            .unwrap()
            .is_none(),
        "the reorganisation removed the transfer"
    );
    let after_reorg = transfer(&provider, other).await;
    assert!(
        mined_within(&provider, after_reorg, second).await,
        "the transaction after the reorganisation is mined"
    );
}
