// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";

/// @notice Finding 3 (issue 9, protocol lesson 11): an output of type(uint256).max freezing
///         a queue through checked-arithmetic overflow. The operator commits an invalid block
///         with a huge output and exits it; honest exits ahead of it are paid in full,
///         processing never reverts, and the queue drains.
/// @dev Seen failing on the old rules (src mutation, then restored): paying the whole amount
///      (no cap by the budget) makes `paid + refund` overflow for ETH and `budget -= spent`
///      underflow for the token: processExits reverts and the queue is frozen for good.
contract Finding3_NoOverflowFreeze_Test is CommonTest {
    address internal mallory = makeAddr("mallory");

    function setUp() public override {
        super.setUp();
        vm.deal(mallory, 10 ether);
    }

    function test_finding3_maxEthOutput_succeeds() public {
        uint64 honest = _startExit(alice, _depositETH(alice, 3 ether), 0);
        Committed memory invalid =
            _submit(TxBuilder.payment1(TxBuilder.position(77, 0, 0), mallory, address(0), type(uint256).max));
        uint64 huge = _startExit(mallory, invalid, 0);
        (,, uint256 amount) = rootChain.outputExit(_exitId(invalid.txBytes, 0));
        assertEq(amount, type(uint256).max);
        vm.warp(block.timestamp + 2 * MIN_EXIT_PERIOD);

        uint256 aliceBefore = alice.balance;
        uint256 malloryBefore = mallory.balance;
        assertEq(rootChain.processExits(address(0), 10), 2);
        assertEq(alice.balance, aliceBefore + 3 ether + EXIT_BOND - PROCESS_BOUNTY);
        // The huge exit is capped by what was available (nothing): only its bond refund.
        assertEq(mallory.balance, malloryBefore + EXIT_BOND - PROCESS_BOUNTY);
        assertEq(_statusAt(honest), 3);
        assertEq(_statusAt(huge), 3);
        assertEq(rootChain.exitQueueLength(address(0)), 0);
    }

    function test_finding3_twoHalfRangeTokenOutputs_succeeds() public {
        uint64 honest = _startExit(bob, _depositToken(bob, 7 ether), 0);
        uint256 half = 1 << 255;
        Committed memory invalid =
            _submit(TxBuilder.payment2(TxBuilder.position(77, 0, 0), mallory, mallory, address(token), half, half));
        uint64 h0 = _startExit(mallory, invalid, 0);
        uint64 h1 = _startExit(mallory, invalid, 1);
        vm.warp(block.timestamp + 2 * MIN_EXIT_PERIOD);

        assertEq(rootChain.processExits(address(token), 10), 3);
        assertEq(token.balanceOf(bob), 1_000 ether, "honest exit ahead not paid in full");
        assertEq(token.balanceOf(mallory), 0);
        assertEq(rootChain.withdrawable(mallory, address(token)), 0);
        assertEq(rootChain.reserved(address(token)), 0);
        assertEq(_statusAt(honest), 3);
        assertEq(_statusAt(h0), 3);
        assertEq(_statusAt(h1), 3);
        assertEq(rootChain.exitQueueLength(address(token)), 0);
    }
}
