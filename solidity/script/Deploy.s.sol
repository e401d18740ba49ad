// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Script, console} from "forge-std/Script.sol";

import {RootChain} from "../src/RootChain.sol";
import {StandardExitGame} from "../src/exits/StandardExitGame.sol";
import {InFlightExitChallenges} from "../src/exits/inflight/InFlightExitChallenges.sol";
import {InFlightExitGame} from "../src/exits/inflight/InFlightExitGame.sol";

/// @title Deploy
/// @notice Deploys the exit-game modules (StandardExitGame, InFlightExitChallenges,
///         InFlightExitGame) and the RootChain that DELEGATECALLs them, and
///         writes the deployment file of docs/SPEC.md.
///         Environment: PLASMA_OPERATOR (required), PLASMA_MIN_EXIT_PERIOD (seconds, required,
///         at least 60), PLASMA_BOND_GAS_PRICE (wei, default 20 gwei: bonds repay challenge and
///         processing gas at this price), PLASMA_DEPLOYMENT_OUT (default deployment.json;
///         foundry.toml must allow writing there).
///         `forge script solidity/script/Deploy.s.sol --rpc-url $RPC --private-key $KEY --broadcast`
contract Deploy is Script {
    /// @notice Deploys with the configuration from the environment.
    function run() external returns (RootChain rootChain) {
        address operator = vm.envAddress("PLASMA_OPERATOR");
        uint256 minExitPeriod = vm.envUint("PLASMA_MIN_EXIT_PERIOD");
        uint256 bondGasPrice = vm.envOr("PLASMA_BOND_GAS_PRICE", uint256(20 gwei));
        string memory out = vm.envOr("PLASMA_DEPLOYMENT_OUT", string("deployment.json"));

        // The contracts land in this block or a later one: a safe start for log scans.
        uint256 deployBlock = block.number;
        vm.startBroadcast();
        StandardExitGame game = new StandardExitGame(minExitPeriod, bondGasPrice);
        InFlightExitChallenges ifeChallenges = new InFlightExitChallenges(minExitPeriod, bondGasPrice);
        InFlightExitGame ife = new InFlightExitGame(minExitPeriod, bondGasPrice, address(ifeChallenges));
        rootChain = new RootChain(operator, address(game), address(ife));
        vm.stopBroadcast();

        console.log("RootChain deployed at", address(rootChain));
        string memory obj = "deployment";
        vm.serializeUint(obj, "chainId", block.chainid);
        vm.serializeAddress(obj, "rootChain", address(rootChain));
        vm.serializeAddress(obj, "standardExitGame", address(game));
        vm.serializeAddress(obj, "inFlightExitGame", address(ife));
        vm.serializeAddress(obj, "inFlightExitChallenges", address(ifeChallenges));
        vm.serializeUint(obj, "deployBlock", deployBlock);
        vm.serializeAddress(obj, "operator", operator);
        vm.serializeUint(obj, "minExitPeriod", minExitPeriod);
        vm.serializeString(obj, "bondGasPrice", vm.toString(bondGasPrice));
        vm.serializeString(obj, "exitBond", vm.toString(game.EXIT_BOND()));
        vm.serializeString(obj, "inFlightExitBond", vm.toString(ife.IFE_BOND()));
        vm.serializeString(obj, "piggybackBond", vm.toString(ife.PIGGYBACK_BOND()));
        string memory json = vm.serializeString(obj, "processBounty", vm.toString(game.PROCESS_BOUNTY()));
        vm.writeJson(json, out);
        console.log("deployment written to", out);
    }
}
