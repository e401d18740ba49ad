// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {RootChain} from "../../src/RootChain.sol";
import {ERC20Mock} from "../../src/test-helpers/ERC20Mock.sol";
import {RootChainHandler} from "./handlers/RootChainHandler.sol";

/// @title RootChain_Invariant_Test
/// @notice Invariants over random sequences of deposits, payments, exits, challenges,
///         processing and withdrawals (RootChainHandler).
contract RootChain_Invariant_Test is Test {
    RootChain internal rootChain;
    ERC20Mock internal token;
    RootChainHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        address operator = makeAddr("operator");
        rootChain = new RootChain(operator, 1 weeks, 0.1 ether, 0.001 ether);
        token = new ERC20Mock("Test", "TST");
        handler = new RootChainHandler(rootChain, token, operator);
        targetContract(address(handler));
    }

    /// @notice Per token, the contract holds what it owes: unspent and exiting outputs,
    ///         deferred payouts and (ETH) active bonds. With fee-free payments it holds
    ///         exactly that: nothing is created or lost.
    function invariant_holdsWhatItOwes() public view {
        uint256 owedEth = handler.owed(address(0));
        uint256 owedToken = handler.owed(address(token));
        assertGe(address(rootChain).balance, owedEth);
        assertGe(token.balanceOf(address(rootChain)), owedToken);
        assertEq(address(rootChain).balance, owedEth);
        assertEq(token.balanceOf(address(rootChain)), owedToken);
    }

    /// @notice No output is paid twice, and deposit blocks never reach the next child block.
    function invariant_noOutputPaidTwice() public view {
        assertFalse(handler.doublePaid());
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
        assertEq(address(rootChain).balance, handler.owed(address(0)));
        assertEq(token.balanceOf(address(rootChain)), handler.owed(address(token)));
        assertFalse(handler.doublePaid());
    }
}
