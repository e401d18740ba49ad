// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Script, console} from "forge-std/Script.sol";

import {RootChain} from "../src/RootChain.sol";

/// @title Deploy
/// @notice Deploys RootChain and writes the deployment file of docs/SPEC.md.
///         Environment: PLASMA_OPERATOR (required), PLASMA_MIN_EXIT_PERIOD (seconds, required),
///         PLASMA_EXIT_BOND (wei, default 0.1 ether), PLASMA_PROCESS_BOUNTY (wei, default
///         0.001 ether), PLASMA_DEPLOYMENT_OUT (default deployment.json; foundry.toml must
///         allow writing there).
///         `forge script solidity/script/Deploy.s.sol --rpc-url $RPC --private-key $KEY --broadcast`
contract Deploy is Script {
    /// @notice Deploys with the configuration from the environment.
    function run() external returns (RootChain rootChain) {
        address operator = vm.envAddress("PLASMA_OPERATOR");
        uint256 minExitPeriod = vm.envUint("PLASMA_MIN_EXIT_PERIOD");
        uint256 exitBond = vm.envOr("PLASMA_EXIT_BOND", uint256(0.1 ether));
        uint256 processBounty = vm.envOr("PLASMA_PROCESS_BOUNTY", uint256(0.001 ether));
        string memory out = vm.envOr("PLASMA_DEPLOYMENT_OUT", string("deployment.json"));

        // The contract lands in this block or a later one: a safe start for log scans.
        uint256 deployBlock = block.number;
        vm.startBroadcast();
        rootChain = new RootChain(operator, minExitPeriod, exitBond, processBounty);
        vm.stopBroadcast();

        console.log("RootChain deployed at", address(rootChain));
        _write(out, address(rootChain), deployBlock, operator, minExitPeriod, exitBond, processBounty);
        console.log("deployment written to", out);
    }

    function _write(
        string memory out,
        address rootChain,
        uint256 deployBlock,
        address operator,
        uint256 minExitPeriod,
        uint256 exitBond,
        uint256 processBounty
    ) internal {
        string memory obj = "deployment";
        vm.serializeUint(obj, "chainId", block.chainid);
        vm.serializeAddress(obj, "rootChain", rootChain);
        vm.serializeUint(obj, "deployBlock", deployBlock);
        vm.serializeAddress(obj, "operator", operator);
        vm.serializeUint(obj, "minExitPeriod", minExitPeriod);
        vm.serializeString(obj, "exitBond", vm.toString(exitBond));
        string memory json = vm.serializeString(obj, "processBounty", vm.toString(processBounty));
        vm.writeJson(json, out);
    }
}
