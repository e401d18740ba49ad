// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {RevertingReceiver} from "../mocks/ExitAgent.sol";

/// @notice A token that, whenever it pays out, also mints `bonus` to a target: funds that
///         ARRIVE at the root chain in the middle of a processExits call. (A real deposit
///         cannot arrive mid-call: ETH payouts get 30,000 gas, too little for depositETH, and
///         depositToken is nonReentrant; this models the arrival directly.)
contract ArrivingToken is ERC20 {
    address public target;
    uint256 public bonus;

    constructor() ERC20("Arriving", "ARR") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target_, uint256 bonus_) external {
        target = target_;
        bonus = bonus_;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (bonus != 0 && msg.sender == target) _mint(target, bonus);
        return super.transfer(to, value);
    }
}

/// @notice Finding 2 (issue 9, protocol lesson 10): a deferred (failed) payout overtaken by
///         later exits. A payout that fails is reserved at once; the exits behind it are paid
///         only out of available funds; the deferred owner withdraws in full later even when
///         later (invalid) exits took everything else; and funds that arrive during a
///         processExits call never pay that call's exits.
/// @dev Seen failing on the old rules (mutations of src, then restored): with the budget
///      re-read before every exit and `reserved` left out of `available`, mallory's invalid
///      exit is paid out of A's deferred funds and A's withdraw reverts WithdrawFailed; with
///      only the re-read, the arrival pays mallory's exit.
contract Finding2_DeferredPayoutPriority_Test is CommonTest {
    address internal mallory = makeAddr("mallory");

    /// @notice A deposit output of the reverting receiver (exit A), then alice's (B), then an
    ///         invalid 1 ether output of mallory's from a block the operator made up (X).
    function test_finding2_deferredPayoutStaysReserved_succeeds() public {
        RevertingReceiver receiver = new RevertingReceiver();
        vm.deal(address(receiver), 1 ether);
        Committed memory dA = _depositETH(address(receiver), 1 ether);
        uint64 posA = _track(dA, 0);
        receiver.exit{value: EXIT_BOND}(rootChain, posA, dA.txBytes, dA.proof, dA.timestamp);
        Committed memory invalid =
            _submit(TxBuilder.payment1(TxBuilder.position(77, 0, 0), mallory, address(0), 1 ether));
        vm.warp(block.timestamp + 1);
        uint64 posB = _startExit(alice, _depositETH(alice, 2 ether), 0);
        vm.deal(mallory, EXIT_BOND);
        uint64 posX = _startExit(mallory, invalid, 0);
        vm.warp(block.timestamp + 2 * MIN_EXIT_PERIOD);

        uint256 aliceBefore = alice.balance;
        uint256 refund = EXIT_BOND - PROCESS_BOUNTY;
        vm.prank(carol);
        assertEq(rootChain.processExits(address(0), 10), 3);

        // A failed and is reserved; B was paid in full; X got nothing: A's funds are not available.
        uint256 owedA = 1 ether + refund;
        assertEq(rootChain.withdrawable(address(receiver), address(0)), owedA);
        assertEq(rootChain.reserved(address(0)), owedA);
        assertEq(alice.balance, aliceBefore + 2 ether + refund);
        assertEq(mallory.balance, refund, "invalid exit paid out of a deferred payout");
        assertEq(_statusAt(posA), 3);
        assertEq(_statusAt(posB), 3);
        assertEq(_statusAt(posX), 3);
        assertEq(rootChain.availableFunds(address(0)), 0);

        // A later deposit does not let anyone touch the reserve either, and A withdraws in full.
        _depositETH(bob, 5 ether);
        receiver.setOpen(true);
        uint256 before = address(receiver).balance;
        receiver.withdraw(rootChain, address(0));
        assertEq(address(receiver).balance, before + owedA);
        assertEq(rootChain.reserved(address(0)), 0);
        assertEq(address(rootChain).balance, 5 ether);
    }

    /// @notice Funds that arrive while a processExits call runs never pay an exit of that call.
    function test_finding2_arrivalDuringCallNotUsed_succeeds() public {
        ArrivingToken tok = new ArrivingToken();
        uint64 posA = _startExit(alice, _mintAndDeposit(alice, address(tok), 10 ether), 0);
        Committed memory invalid =
            _submit(TxBuilder.payment1(TxBuilder.position(77, 0, 0), mallory, address(tok), 3 ether));
        vm.deal(mallory, EXIT_BOND);
        uint64 posX = _startExit(mallory, invalid, 0);
        vm.warp(block.timestamp + 2 * MIN_EXIT_PERIOD);
        tok.arm(address(rootChain), 3 ether);

        vm.recordLogs();
        assertEq(rootChain.processExits(address(tok), 10), 2);
        assertEq(tok.balanceOf(alice), 10 ether);
        assertEq(tok.balanceOf(mallory), 0, "arrival during the call paid an exit");
        assertEq(_statusAt(posA), 3);
        assertEq(_statusAt(posX), 3);
        // The 3 tokens that arrived during the call are still there (the invalid exit is closed).
        assertEq(tok.balanceOf(address(rootChain)), 3 ether);
        assertEq(rootChain.reserved(address(tok)), 0);
        assertEq(rootChain.withdrawable(mallory, address(tok)), 0);
        assertEq(rootChain.exitQueueLength(address(tok)), 0);
    }
}
