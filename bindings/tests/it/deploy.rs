//! Deploying through the bindings' bytecode.

use alloy::{
    primitives::{Address, U256},
    providers::Provider,
};
use plasma_bindings::test_utils::{
    deploy_core_harness, deploy_erc20_mock, deploy_fee_on_transfer_token, deploy_no_bool_token,
    deploy_root_chain, signer, spawn_anvil, wallet_provider,
};

#[tokio::test]
async fn root_chain_deploys_with_its_constructor_arguments() {
    let anvil = spawn_anvil().expect("anvil starts");
    let provider = wallet_provider(&anvil, 0);
    let operator = signer(&anvil, 1).address();
    // Bonds repay 70,000 gas per challenger share and 60,000 per processing at 500 gwei.
    let gas_price = U256::from(500_000_000_000u64);
    let bounty = U256::from(60_000) * gas_price;
    let bond = U256::from(2 * 70_000 + 60_000) * gas_price;
    let root_chain = deploy_root_chain(provider.clone(), operator, 60, gas_price)
        .await
        .expect("deploys");
    assert_eq!(root_chain.operator().call().await.unwrap(), operator);
    assert_eq!(
        root_chain.MIN_EXIT_PERIOD().call().await.unwrap(),
        U256::from(60)
    );
    assert_eq!(root_chain.EXIT_BOND().call().await.unwrap(), bond);
    assert_eq!(root_chain.PROCESS_BOUNTY().call().await.unwrap(), bounty);
    assert_eq!(root_chain.BOND_GAS_PRICE().call().await.unwrap(), gas_price);
    assert_eq!(
        root_chain.nextChildBlock().call().await.unwrap(),
        U256::from(1000)
    );
    assert_eq!(
        root_chain.nextDepositBlock().call().await.unwrap(),
        U256::from(1)
    );
}

#[tokio::test]
async fn deployed_harness_code_is_the_committed_runtime_bytecode() {
    let anvil = spawn_anvil().expect("anvil starts");
    let provider = wallet_provider(&anvil, 0);
    let harness = deploy_core_harness(provider.clone())
        .await
        .expect("deploys");
    let code = provider.get_code_at(*harness.address()).await.unwrap();
    assert_eq!(code, plasma_bindings::CoreHarness::DEPLOYED_BYTECODE);
}

#[tokio::test]
async fn mock_tokens_deploy_and_mint() {
    let anvil = spawn_anvil().expect("anvil starts");
    let provider = wallet_provider(&anvil, 0);
    let holder = Address::repeat_byte(0x77);
    let amount = U256::from(1_000);
    let erc20 = deploy_erc20_mock(provider.clone(), "Mock", "MCK")
        .await
        .unwrap();
    erc20
        .mint(holder, amount)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert_eq!(erc20.balanceOf(holder).call().await.unwrap(), amount);
    let no_bool = deploy_no_bool_token(provider.clone()).await.unwrap();
    no_bool
        .mint(holder, amount)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert_eq!(no_bool.balanceOf(holder).call().await.unwrap(), amount);
    let fee = deploy_fee_on_transfer_token(provider.clone(), 100)
        .await
        .unwrap();
    fee.mint(holder, amount)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert_eq!(fee.balanceOf(holder).call().await.unwrap(), amount);
}
