// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";

import {IRootChain} from "../../../src/interfaces/IRootChain.sol";
import {IStandardExitGame} from "../../../src/interfaces/IStandardExitGame.sol";
import {ERC20Mock} from "../../../src/test-helpers/ERC20Mock.sol";
import {RevertingReceiver} from "../../mocks/ExitAgent.sol";
import {TxBuilder} from "../../shared/TxBuilder.sol";

/// @title RootChainHandler
/// @notice Drives a RootChain like a small honest chain with a watchtower: deposits (ETH and
///         a token), payments in child blocks, exits, spends of exiting outputs that are
///         challenged at once, processing and withdrawals, by three key-holding users and
///         one contract that refuses ETH. Deposits pay the congestion fee when an interval
///         is crowded. It keeps a ghost UTXO set so the invariants can state exactly what the
///         contract owes, and a ghost ETH surplus (deposit fees, forfeited bond parts) that
///         the contract holds on top of it.
contract RootChainHandler is CommonBase, StdCheats, StdUtils {
    /// @notice Ghost state of an output.
    enum State {
        Unspent,
        Spent,
        Exiting,
        Processed,
        Challenged
    }

    /// @notice A ghost output with what its owner needs to exit it.
    struct Output {
        uint64 pos;
        address owner;
        address token;
        uint256 amount;
        bytes txBytes;
        bytes proof;
        uint256 timestamp;
        State state;
    }

    IRootChain public immutable rootChain;
    ERC20Mock public immutable token;
    address public immutable operator;
    RevertingReceiver public immutable stubborn;

    uint256[3] internal keys = [uint256(0xA11CE), 0xB0B, 0xCA401];
    Output[] internal outputs;

    /// @notice How often each exit id was reported processed (must stay ≤ 1).
    mapping(bytes32 exitId => uint256 count) public processedCount;
    /// @notice ETH the contract holds that nobody is owed: deposit fees and the forfeited
    ///         part of challenged bonds.
    uint256 public surplusEth;
    /// @notice Set when an exit was paid less than its amount (never, on an honest chain).
    bool public shortPaid;
    /// @notice Set when some position was processed twice.
    bool public doublePaid;
    /// @notice Accounts that may hold withdrawable balances.
    address[] public accounts;

    constructor(IRootChain rootChain_, ERC20Mock token_, address operator_) {
        rootChain = rootChain_;
        token = token_;
        operator = operator_;
        stubborn = new RevertingReceiver();
        for (uint256 i; i < 3; ++i) {
            accounts.push(vm.addr(keys[i]));
        }
        accounts.push(address(stubborn));
        accounts.push(address(this));
    }

    // ------------------------------------------------------------------ views for invariants

    /// @notice Number of ghost outputs.
    function outputCount() external view returns (uint256) {
        return outputs.length;
    }

    /// @notice Number of ghost outputs with an active exit.
    function exitingCount() external view returns (uint256 n) {
        for (uint256 i; i < outputs.length; ++i) {
            if (outputs[i].state == State.Exiting) ++n;
        }
    }

    /// @notice Σ withdrawable[account][tok] over every account that can hold one.
    function withdrawableSum(address tok) external view returns (uint256 total) {
        for (uint256 i; i < accounts.length; ++i) {
            total += rootChain.withdrawable(accounts[i], tok);
        }
    }

    /// @notice What the contract owes in `tok`: every unspent or exiting output, every
    ///         deferred payout and, in ETH, the bond of every active exit (of any token).
    function owed(address tok) external view returns (uint256 total) {
        for (uint256 i; i < outputs.length; ++i) {
            Output storage o = outputs[i];
            // Bonds are ETH, whatever the exiting output's token.
            if (tok == address(0) && o.state == State.Exiting) total += rootChain.EXIT_BOND();
            if (o.token != tok) continue;
            if (o.state == State.Unspent || o.state == State.Exiting) total += o.amount;
        }
        for (uint256 i; i < accounts.length; ++i) {
            total += rootChain.withdrawable(accounts[i], tok);
        }
    }

    // ------------------------------------------------------------------ actions

    /// @notice An ETH deposit by a user or the stubborn contract.
    function depositETH(uint256 actorSeed, uint256 amount) external {
        amount = bound(amount, 1, 10 ether);
        address owner = _actor(actorSeed, true);
        _makeRoomForDeposit();
        uint256 blknum = rootChain.nextDepositBlock();
        uint256 fee = rootChain.depositFee();
        vm.deal(owner, amount + fee);
        vm.prank(owner);
        rootChain.depositETH{value: amount + fee}(owner);
        surplusEth += fee;
        _recordDeposit(blknum, owner, address(0), amount);
    }

    /// @notice A token deposit by a user.
    function depositToken(uint256 actorSeed, uint256 amount) external {
        amount = bound(amount, 1, 1_000 ether);
        address owner = _actor(actorSeed, false);
        _makeRoomForDeposit();
        uint256 blknum = rootChain.nextDepositBlock();
        token.mint(owner, amount);
        vm.prank(owner);
        token.approve(address(rootChain), amount);
        uint256 fee = rootChain.depositFee();
        vm.deal(owner, owner.balance + fee);
        vm.prank(owner);
        rootChain.depositToken{value: fee}(owner, address(token), amount);
        surplusEth += fee;
        _recordDeposit(blknum, owner, address(token), amount);
    }

    /// @notice A user pays part of an unspent output to someone (change back to itself).
    function spend(uint256 outSeed, uint256 toSeed, uint256 split) external {
        (bool found, uint256 i) = _find(outSeed, State.Unspent, true);
        if (!found) return;
        _spend(i, toSeed, split);
    }

    /// @notice The owner of an unspent output starts its exit.
    function startExit(uint256 outSeed) external {
        (bool found, uint256 i) = _find(outSeed, State.Unspent, false);
        if (!found) return;
        Output storage o = outputs[i];
        uint256 bond = rootChain.EXIT_BOND();
        vm.deal(o.owner, o.owner.balance + bond);
        vm.prank(o.owner);
        rootChain.startStandardExit{value: bond}(o.pos, o.txBytes, o.proof, o.timestamp);
        o.state = State.Exiting;
    }

    /// @notice A user spends an output it is exiting; the watchtower challenges the exit at
    ///         once with that spend, naming a challenger.
    function spendExitingAndChallenge(uint256 outSeed, uint256 toSeed, uint256 split, uint256 challengerSeed) external {
        (bool found, uint256 i) = _find(outSeed, State.Exiting, true);
        if (!found) return;
        bytes memory spendTx = _spend(i, toSeed, split);
        Output storage o = outputs[i];
        uint256 key = _keyOf(o.owner);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, rootChain.txSigningHash(spendTx));
        address challenger = accounts[challengerSeed % accounts.length];
        rootChain.challengeStandardExit(o.pos, spendTx, 0, abi.encodePacked(r, s, v), challenger);
        o.state = State.Challenged;
        surplusEth += rootChain.EXIT_BOND() - rootChain.CHALLENGER_SHARE();
    }

    /// @notice Time passes and someone processes a queue.
    function process(bool tokenQueue, uint256 maxExits, uint256 warpBy) external {
        maxExits = bound(maxExits, 1, 8);
        warpBy = bound(warpBy, 0, 3 weeks);
        vm.warp(block.timestamp + warpBy);
        address tok = tokenQueue ? address(token) : address(0);
        vm.recordLogs();
        rootChain.processExits(tok, maxExits);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 k; k < logs.length; ++k) {
            if (logs[k].topics[0] != IStandardExitGame.ExitProcessed.selector) continue;
            bytes32 exitId = logs[k].topics[1];
            uint64 pos = uint64(uint256(logs[k].topics[2]));
            if (++processedCount[exitId] > 1) doublePaid = true;
            (, uint256 paid,) = abi.decode(logs[k].data, (address, uint256, bool));
            if (paid != _markProcessed(pos)) shortPaid = true;
        }
    }

    /// @notice An account claims its deferred payouts (the stubborn contract opens up first).
    function withdraw(uint256 actorSeed, bool tokenQueue) external {
        address account = accounts[actorSeed % accounts.length];
        address tok = tokenQueue ? address(token) : address(0);
        if (rootChain.withdrawable(account, tok) == 0) return;
        if (account == address(stubborn)) {
            stubborn.setOpen(true);
            stubborn.withdraw(rootChain, tok);
            stubborn.setOpen(false);
        } else {
            vm.prank(account);
            rootChain.withdraw(tok);
        }
    }

    /// @notice The handler is itself a processor: it receives bounties.
    receive() external payable {}

    // ------------------------------------------------------------------ internals

    function _actor(uint256 seed, bool allowContract) internal view returns (address) {
        uint256 n = allowContract ? 4 : 3;
        return accounts[seed % n];
    }

    function _keyOf(address owner) internal view returns (uint256) {
        for (uint256 i; i < 3; ++i) {
            if (vm.addr(keys[i]) == owner) return keys[i];
        }
        revert("no key");
    }

    /// @notice A child block when the interval is full or its fee passes 1 ether.
    function _makeRoomForDeposit() internal {
        if (rootChain.nextDepositBlock() % 1000 == 999 || rootChain.depositFee() > 1 ether) {
            vm.prank(operator);
            rootChain.submitBlock(keccak256(abi.encode(block.timestamp, outputs.length)));
        }
    }

    function _recordDeposit(uint256 blknum, address owner, address tok, uint256 amount) internal {
        bytes memory dtx = TxBuilder.deposit(blknum, owner, tok, amount);
        (, bytes memory proof) = TxBuilder.single(dtx);
        outputs.push(Output(uint64(blknum * 1e9), owner, tok, amount, dtx, proof, block.timestamp, State.Unspent));
    }

    /// @notice Finds an output in `state` from a random start; `needsKey` skips the contract.
    function _find(uint256 seed, State state, bool needsKey) internal view returns (bool, uint256) {
        uint256 n = outputs.length;
        if (n == 0) return (false, 0);
        uint256 start = seed % n;
        for (uint256 k; k < n; ++k) {
            uint256 i = (start + k) % n;
            if (outputs[i].state != state) continue;
            if (needsKey && outputs[i].owner == address(stubborn)) continue;
            return (true, i);
        }
        return (false, 0);
    }

    /// @notice Puts a payment spending output `i` into a new child block and records its outputs.
    function _spend(uint256 i, uint256 toSeed, uint256 split) internal returns (bytes memory spendTx) {
        Output storage o = outputs[i];
        address to = accounts[toSeed % 4];
        uint256 first = o.amount == 1 ? 1 : bound(split, 1, o.amount - 1);
        uint256 rest = o.amount - first;
        spendTx = rest == 0
            ? TxBuilder.payment1(o.pos, to, o.token, first)
            : TxBuilder.payment2(o.pos, to, o.owner, o.token, first, rest);
        (bytes32 root, bytes memory proof) = TxBuilder.single(spendTx);
        uint256 blknum = rootChain.nextChildBlock();
        vm.prank(operator);
        rootChain.submitBlock(root);
        o.state = State.Spent;
        address token_ = o.token;
        address owner = o.owner;
        outputs.push(Output(uint64(blknum * 1e9), to, token_, first, spendTx, proof, block.timestamp, State.Unspent));
        if (rest != 0) {
            outputs.push(
                Output(uint64(blknum * 1e9 + 1), owner, token_, rest, spendTx, proof, block.timestamp, State.Unspent)
            );
        }
    }

    /// @notice Marks the exiting output at `pos` processed and returns its amount.
    function _markProcessed(uint64 pos) internal returns (uint256) {
        for (uint256 i; i < outputs.length; ++i) {
            if (outputs[i].pos == pos && outputs[i].state == State.Exiting) {
                outputs[i].state = State.Processed;
                return outputs[i].amount;
            }
        }
        // Not a live exit of the ghost chain: no amount matches, so shortPaid is set.
        return type(uint256).max;
    }
}
