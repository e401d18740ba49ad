// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {RootChain} from "../../src/RootChain.sol";
import {StandardExitGame} from "../../src/exits/StandardExitGame.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {ByzantineOperatorHandler} from "./handlers/ByzantineOperatorHandler.sol";
import {Modules} from "../shared/Modules.sol";

/// @title ByzantineSetup
/// @notice The chain the byzantine-operator tests run on: a week-long exit period, bonds at
///         500 gwei, and the handler that plays every party.
abstract contract ByzantineSetup is Test {
    IRootChain internal rootChain;
    ByzantineOperatorHandler internal handler;

    function _deployChain() internal {
        vm.warp(1_700_000_000);
        address operator = makeAddr("operator");
        StandardExitGame game = new StandardExitGame(1 weeks, 500 gwei);
        rootChain = IRootChain(address(new RootChain(operator, address(game), Modules.inFlight(1 weeks, 500 gwei))));
        handler = new ByzantineOperatorHandler(rootChain, operator);
    }
}
