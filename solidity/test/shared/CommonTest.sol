// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {RootChain} from "../../src/RootChain.sol";
import {StandardExitGame} from "../../src/exits/StandardExitGame.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {ERC20Mock} from "../../src/test-helpers/ERC20Mock.sol";
import {TxBuilder} from "./TxBuilder.sol";
import {Modules} from "./Modules.sol";

/// @title CommonTest
/// @notice Shared setup: a RootChain with a week-long exit period, funded users with keys,
///         a plain ERC-20, and helpers that deposit, commit blocks and start exits.
abstract contract CommonTest is Test {
    uint256 internal constant MIN_EXIT_PERIOD = 1 weeks;
    /// @notice Bonds repay gas at 500 gwei here, so the bond is a round 0.1 ether.
    uint256 internal constant BOND_GAS_PRICE = 500 gwei;
    uint256 internal constant EXIT_BOND = 0.1 ether;
    uint256 internal constant CHALLENGER_SHARE = 0.035 ether;
    uint256 internal constant PROCESS_BOUNTY = 0.03 ether;
    uint256 internal constant START_TIME = 1_700_000_000;

    /// @notice The deployed RootChain, through its whole ABI (framework and exit games).
    IRootChain internal rootChain;
    StandardExitGame internal standardExitGame;
    ERC20Mock internal token;
    address internal operator;
    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;
    address internal carol;

    /// @notice The exit id of each position exited through the helpers (exitIdAt is cleared
    ///         once an exit is processed, so tests keep their own copy).
    mapping(uint64 pos => bytes32 exitId) internal exitIdOf;

    /// @notice A committed block with one transaction at index 0.
    struct Committed {
        uint256 blknum;
        bytes txBytes;
        bytes proof;
        uint256 timestamp;
    }

    function setUp() public virtual {
        vm.warp(START_TIME);
        operator = makeAddr("operator");
        (alice, aliceKey) = makeAddrAndKey("alice");
        (bob, bobKey) = makeAddrAndKey("bob");
        carol = makeAddr("carol");
        standardExitGame = new StandardExitGame(MIN_EXIT_PERIOD, BOND_GAS_PRICE);
        rootChain = IRootChain(
            address(
                new RootChain(operator, address(standardExitGame), Modules.inFlight(MIN_EXIT_PERIOD, BOND_GAS_PRICE))
            )
        );
        assertEq(rootChain.EXIT_BOND(), EXIT_BOND);
        assertEq(rootChain.CHALLENGER_SHARE(), CHALLENGER_SHARE);
        assertEq(rootChain.PROCESS_BOUNTY(), PROCESS_BOUNTY);
        token = new ERC20Mock("Test", "TST");
        vm.deal(alice, 100 ether);
        vm.deal(bob, 100 ether);
        vm.deal(carol, 100 ether);
        token.mint(alice, 1_000 ether);
        token.mint(bob, 1_000 ether);
        vm.prank(alice);
        token.approve(address(rootChain), type(uint256).max);
        vm.prank(bob);
        token.approve(address(rootChain), type(uint256).max);
    }

    /// @notice ETH deposit by `owner` for itself; returns the deposit block.
    function _depositETH(address owner, uint256 amount) internal returns (Committed memory c) {
        c.blknum = rootChain.nextDepositBlock();
        vm.prank(owner);
        rootChain.depositETH{value: amount}(owner);
        c.txBytes = TxBuilder.deposit(c.blknum, owner, address(0), amount);
        (, c.proof) = TxBuilder.single(c.txBytes);
        c.timestamp = block.timestamp;
    }

    /// @notice Token deposit by `owner` for itself; returns the deposit block.
    function _depositToken(address owner, uint256 amount) internal returns (Committed memory c) {
        return _depositTokenOf(owner, address(token), amount);
    }

    /// @notice Deposit of any (already approved) token by `owner` for itself.
    function _depositTokenOf(address owner, address tok, uint256 amount) internal returns (Committed memory c) {
        c.blknum = rootChain.nextDepositBlock();
        vm.prank(owner);
        rootChain.depositToken(owner, tok, amount);
        c.txBytes = TxBuilder.deposit(c.blknum, owner, tok, amount);
        (, c.proof) = TxBuilder.single(c.txBytes);
        c.timestamp = block.timestamp;
    }

    /// @notice Mints `amount` of a test token (any with `mint`) to `owner`, approves the root
    ///         chain with a low-level call (so tokens without a bool return work too) and
    ///         deposits it.
    function _mintAndDeposit(address owner, address tok, uint256 amount) internal returns (Committed memory) {
        (bool minted,) = tok.call(abi.encodeWithSignature("mint(address,uint256)", owner, amount));
        vm.prank(owner);
        (bool approved,) = tok.call(abi.encodeWithSignature("approve(address,uint256)", address(rootChain), amount));
        assertTrue(minted && approved);
        return _depositTokenOf(owner, tok, amount);
    }

    /// @notice Commits a child block holding only `txBytes`.
    function _submit(bytes memory txBytes) internal returns (Committed memory c) {
        bytes32 root;
        (root, c.proof) = TxBuilder.single(txBytes);
        c.blknum = rootChain.nextChildBlock();
        c.txBytes = txBytes;
        c.timestamp = block.timestamp;
        vm.prank(operator);
        rootChain.submitBlock(root);
    }

    /// @notice Starts the exit of output `oindex` of the block's transaction 0 as `owner`.
    function _startExit(address owner, Committed memory c, uint256 oindex) internal returns (uint64 pos) {
        pos = _track(c, oindex);
        vm.prank(owner);
        rootChain.startStandardExit{value: EXIT_BOND}(pos, c.txBytes, c.proof, c.timestamp);
    }

    /// @notice Remembers the exit id of output `oindex` of the block's transaction 0 and
    ///         returns its position (for exits started without `_startExit`).
    function _track(Committed memory c, uint256 oindex) internal returns (uint64 pos) {
        pos = TxBuilder.position(c.blknum, 0, oindex);
        exitIdOf[pos] = _exitId(c.txBytes, oindex);
    }

    /// @notice 65-byte EIP-712 signature of `txBytes` under the root chain's domain.
    function _sign(uint256 key, bytes memory txBytes) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, rootChain.txSigningHash(txBytes));
        return abi.encodePacked(r, s, v);
    }

    /// @notice A deposit by alice spent by a payment to bob in a child block: returns both.
    function _aliceDepositsThenPaysBob(uint256 amount) internal returns (Committed memory dep, Committed memory pay) {
        dep = _depositETH(alice, amount);
        pay = _submit(
            TxBuilder.payment2(
                TxBuilder.position(dep.blknum, 0, 0), bob, alice, address(0), amount / 2, amount - amount / 2
            )
        );
    }

    /// @notice The exit id (output id) of output `oindex` of `txBytes`.
    function _exitId(bytes memory txBytes, uint256 oindex) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(keccak256(txBytes), uint8(oindex)));
    }

    /// @notice The status of the output's exit record (0 none, 1 exiting, 2 challenged, 3 exited).
    function _status(bytes memory txBytes, uint256 oindex) internal view returns (uint8 status) {
        (status,,) = rootChain.outputExit(_exitId(txBytes, oindex));
    }

    /// @notice The status of the exit record of a position exited through `_startExit` or
    ///         `_track`.
    function _statusAt(uint64 pos) internal view returns (uint8 status) {
        (status,,) = rootChain.outputExit(exitIdOf[pos]);
    }
}
