//! The forked-mainnet end-to-end test: RootChain deployed onto a fork (a second anvil,
//! `--fork-url <upstream> --no-storage-caching`) of Ethereum mainnet when MAINNET_RPC_URL
//! is set, else of the local mainnet stand-in; USDC and USDT dealt to users, deposited,
//! exited and paid out to the unit. It logs which upstream it used and never skips.

use alloy::primitives::U256;
use alloy::providers::Provider;
use alloy::providers::ext::AnvilApi;
use plasma_client::chain::{self, dev_signer};
use plasma_client::user::{self, IERC20, RootChainContract};
use plasma_client::{DeployParams, deploy_root_chain};
use plasma_devnet::standin::{self, USDC, USDT};

use crate::harness::{ether, init_tracing, token_balance};

#[tokio::test(flavor = "multi_thread")]
async fn usdc_and_usdt_deposit_and_exit_on_a_mainnet_fork() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let upstream = standin::upstream(dir.path()).await.unwrap();
    tracing::info!(upstream = upstream.label, "fork upstream");
    let (fork, url) = standin::fork(&upstream.url, dir.path()).await.unwrap();
    let admin = chain::read_provider(&url).unwrap();
    assert_eq!(
        admin.get_chain_id().await.unwrap(),
        1,
        "the fork is of chain 1"
    );
    for i in [0, 2, 3, 4] {
        admin
            .anvil_set_balance(dev_signer(i).address(), ether(100))
            .await
            .unwrap();
    }

    let deployer = chain::wallet_provider(&url, dev_signer(0)).unwrap();
    let params = DeployParams {
        min_exit_period: 3_600,
        bond_gas_price: U256::from(500_000_000_000u64),
    };
    let deployment = deploy_root_chain(&deployer, dev_signer(0).address(), &params, 1)
        .await
        .unwrap();
    let at = |i: usize| {
        RootChainContract::new(
            deployment.root_chain,
            chain::wallet_provider(&url, dev_signer(i)).unwrap(),
        )
    };

    let mut cases = Vec::new();
    for (token, who, amount) in [(USDC, 2usize, 2_500_000_000u64), (USDT, 3, 1_234_567_890)] {
        let decimals = IERC20::new(token, admin.clone())
            .decimals()
            .call()
            .await
            .unwrap();
        assert_eq!(decimals, 6, "{token} has 6 decimals");
        let address = dev_signer(who).address();
        let amount = U256::from(amount);
        standin::deal(&admin, token, address, amount).await.unwrap();
        let eth_start = admin.get_balance(address).await.unwrap();
        let root = at(who);
        let deposit = user::deposit_token(&root, address, token, address, amount)
            .await
            .unwrap();
        assert_eq!(deposit.amount, amount, "credited in full");
        assert_eq!(token_balance(&admin, token, address).await, U256::ZERO);
        let exit = user::start_exit(&root, &deposit.exit_data().unwrap())
            .await
            .unwrap();
        cases.push((
            token,
            address,
            amount,
            eth_start,
            deposit.fee_paid + exit.fee_paid,
        ));
    }

    admin
        .anvil_increase_time(params.min_exit_period + 1)
        .await
        .unwrap();
    admin.anvil_mine(Some(1), None).await.unwrap();
    let processor = at(4);
    for (token, address, amount, eth_start, fees) in cases {
        let processed = user::process_exits(&processor, token, 1).await.unwrap();
        assert_eq!(processed.exits.len(), 1);
        assert!(processed.deferred.is_empty(), "{token} paid out directly");
        assert_eq!(
            token_balance(&admin, token, address).await,
            amount,
            "{token} back to the unit"
        );
        assert_eq!(
            admin.get_balance(address).await.unwrap(),
            eth_start - fees - deployment.process_bounty,
            "ETH to the wei (bond back minus the bounty)"
        );
        assert_eq!(
            token_balance(&admin, token, deployment.root_chain).await,
            U256::ZERO
        );
    }
    fork.stop(std::time::Duration::from_secs(5)).await.unwrap();
    if let Some(s) = upstream.standin {
        s.stop(std::time::Duration::from_secs(5)).await.unwrap();
    }
}
