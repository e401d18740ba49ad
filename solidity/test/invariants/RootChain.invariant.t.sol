// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {RootChain} from "../../src/RootChain.sol";
import {StandardExitGame} from "../../src/exits/StandardExitGame.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {ERC20Mock} from "../../src/test-helpers/ERC20Mock.sol";
import {RootChainHandler} from "./handlers/RootChainHandler.sol";
import {Modules} from "../shared/Modules.sol";

/// @title RootChain_Invariant_Test
/// @notice Invariants over random sequences of deposits, payments, exits, challenges,
///         processing and withdrawals (RootChainHandler).
contract RootChain_Invariant_Test is Test {
    IRootChain internal rootChain;
    ERC20Mock internal token;
    RootChainHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        address operator = makeAddr("operator");
        StandardExitGame game = new StandardExitGame(1 weeks, 500 gwei);
        rootChain = IRootChain(address(new RootChain(operator, address(game), Modules.inFlight(1 weeks, 500 gwei))));
        token = new ERC20Mock("Test", "TST");
        handler = new RootChainHandler(rootChain, token, operator);
        targetContract(address(handler));
    }

    /// @notice Per token, the contract holds what it owes: unspent and exiting outputs,
    ///         deferred payouts and (ETH) active bonds. With fee-free payments it holds
    ///         exactly that plus the ETH surplus (deposit fees, forfeited bond parts):
    ///         nothing is created or lost.
    function invariant_holdsWhatItOwes() public view {
        uint256 owedEth = handler.owed(address(0));
        uint256 owedToken = handler.owed(address(token));
        assertGe(address(rootChain).balance, owedEth);
        assertGe(token.balanceOf(address(rootChain)), owedToken);
        assertEq(address(rootChain).balance, owedEth + handler.surplusEth());
        assertEq(token.balanceOf(address(rootChain)), owedToken);
    }

    /// @notice The vault's books: deferred payouts sum to `reserved`, which the balance
    ///         covers; `bondsHeld` is exactly the bonds of live exits.
    function invariant_vaultBooks() public view {
        assertEq(handler.withdrawableSum(address(0)), rootChain.reserved(address(0)));
        assertEq(handler.withdrawableSum(address(token)), rootChain.reserved(address(token)));
        assertLe(rootChain.reserved(address(0)) + rootChain.bondsHeld(), address(rootChain).balance);
        assertLe(rootChain.reserved(address(token)), token.balanceOf(address(rootChain)));
        assertEq(rootChain.bondsHeld(), handler.exitingCount() * rootChain.EXIT_BOND());
    }

    /// @notice No output is paid twice, every exit is paid in full, and deposit blocks never
    ///         reach the next child block.
    function invariant_noOutputPaidTwice() public view {
        assertFalse(handler.doublePaid());
        assertFalse(handler.shortPaid());
        assertLt(rootChain.nextDepositBlock(), rootChain.nextChildBlock());
    }

    /// @notice After each run: every queued exit can still be processed (nothing blocks a
    ///         queue) and the contract still holds exactly what it owes afterwards.
    function afterInvariant() external {
        while (rootChain.exitQueueLength(address(0)) != 0) {
            handler.process(false, 8, 3 weeks);
        }
        while (rootChain.exitQueueLength(address(token)) != 0) {
            handler.process(true, 8, 3 weeks);
        }
        assertEq(address(rootChain).balance, handler.owed(address(0)) + handler.surplusEth());
        assertEq(token.balanceOf(address(rootChain)), handler.owed(address(token)));
        assertFalse(handler.doublePaid());
        assertFalse(handler.shortPaid());
        assertEq(rootChain.bondsHeld(), 0);
    }
}
