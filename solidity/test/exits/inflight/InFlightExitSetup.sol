// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {RootChain} from "../../../src/RootChain.sol";
import {StandardExitGame} from "../../../src/exits/StandardExitGame.sol";
import {InFlightExitChallenges} from "../../../src/exits/inflight/InFlightExitChallenges.sol";
import {InFlightExitGame} from "../../../src/exits/inflight/InFlightExitGame.sol";
import {IInFlightExitTypes} from "../../../src/interfaces/IInFlightExitGame.sol";
import {IRootChain} from "../../../src/interfaces/IRootChain.sol";
import {ERC20Mock} from "../../../src/test-helpers/ERC20Mock.sol";
import {TxBuilder} from "../../shared/TxBuilder.sol";

/// @title InFlightExitSetup
/// @notice Shared setup of the in-flight exit tests: a RootChain with both exit games, a
///         week-long exit period, users with keys, a token, and helpers that deposit, commit
///         blocks of several transactions, sign, start in-flight exits and piggyback.
abstract contract InFlightExitSetup is Test {
    uint256 internal constant MEP = 1 weeks;
    uint256 internal constant BOND_GAS_PRICE = 500 gwei;
    uint256 internal constant START_TIME = 1_700_000_000;

    IRootChain internal rootChain;
    StandardExitGame internal standardGame;
    InFlightExitGame internal ifeGame;
    InFlightExitChallenges internal ifeChallenges;
    ERC20Mock internal token;

    address internal operator;
    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;
    address internal carol;
    uint256 internal carolKey;
    address internal watcher;
    /// @notice An EOA that calls processExits (and earns the bounties).
    address internal keeper;

    uint256 internal ifeBond;
    uint256 internal piggybackBond;
    uint256 internal canonicityShare;
    uint256 internal spentShare;
    uint256 internal processBounty;
    uint256 internal exitBond;

    /// @notice An output: its position and the committed transaction that created it.
    struct Utxo {
        uint64 pos;
        bytes txBytes;
        bytes proof;
        uint256 timestamp;
    }

    /// @notice A transaction committed in a child block.
    struct Included {
        uint64 txPos;
        bytes txBytes;
        bytes proof;
        uint256 timestamp;
    }

    function setUp() public virtual {
        vm.warp(START_TIME);
        operator = makeAddr("operator");
        (alice, aliceKey) = makeAddrAndKey("alice");
        (bob, bobKey) = makeAddrAndKey("bob");
        (carol, carolKey) = makeAddrAndKey("carol");
        watcher = makeAddr("watcher");
        keeper = makeAddr("keeper");
        standardGame = new StandardExitGame(MEP, BOND_GAS_PRICE);
        ifeChallenges = new InFlightExitChallenges(MEP, BOND_GAS_PRICE);
        ifeGame = new InFlightExitGame(MEP, BOND_GAS_PRICE, address(ifeChallenges));
        rootChain = IRootChain(address(new RootChain(operator, address(standardGame), address(ifeGame))));
        ifeBond = rootChain.IFE_BOND();
        piggybackBond = rootChain.PIGGYBACK_BOND();
        canonicityShare = rootChain.CANONICITY_SHARE();
        spentShare = rootChain.SPENT_CHALLENGER_SHARE();
        processBounty = rootChain.IFE_PROCESS_BOUNTY();
        exitBond = rootChain.EXIT_BOND();
        token = new ERC20Mock("Test", "TST");
        address[4] memory users = [alice, bob, carol, watcher];
        for (uint256 i; i < 4; ++i) {
            vm.deal(users[i], 100 ether);
            token.mint(users[i], 1_000 ether);
            vm.prank(users[i]);
            token.approve(address(rootChain), type(uint256).max);
        }
    }

    // ------------------------------------------------------------------ chain

    function _depositETH(address owner, uint256 amount) internal returns (Utxo memory u) {
        uint256 blknum = rootChain.nextDepositBlock();
        vm.prank(owner);
        rootChain.depositETH{value: amount}(owner);
        u.pos = TxBuilder.position(blknum, 0, 0);
        u.txBytes = TxBuilder.deposit(blknum, owner, address(0), amount);
        (, u.proof) = TxBuilder.single(u.txBytes);
        u.timestamp = block.timestamp;
    }

    function _depositToken(address owner, uint256 amount) internal returns (Utxo memory u) {
        uint256 blknum = rootChain.nextDepositBlock();
        vm.prank(owner);
        rootChain.depositToken(owner, address(token), amount);
        u.pos = TxBuilder.position(blknum, 0, 0);
        u.txBytes = TxBuilder.deposit(blknum, owner, address(token), amount);
        (, u.proof) = TxBuilder.single(u.txBytes);
        u.timestamp = block.timestamp;
    }

    /// @notice Commits a child block holding `txs` at indices 0, 1, ….
    function _submit(bytes[] memory txs) internal returns (Included[] memory inc) {
        bytes32[] memory leaves = new bytes32[](txs.length);
        for (uint256 i; i < txs.length; ++i) {
            leaves[i] = TxBuilder.leaf(txs[i]);
        }
        uint256 blknum = rootChain.nextChildBlock();
        inc = new Included[](txs.length);
        bytes32 root;
        for (uint256 i; i < txs.length; ++i) {
            (root, inc[i].proof) = TxBuilder.rootAndProof(leaves, i);
            inc[i].txPos = TxBuilder.position(blknum, i, 0);
            inc[i].txBytes = txs[i];
            inc[i].timestamp = block.timestamp;
        }
        vm.prank(operator);
        rootChain.submitBlock(root);
    }

    function _submit1(bytes memory txBytes) internal returns (Included memory) {
        bytes[] memory txs = new bytes[](1);
        txs[0] = txBytes;
        return _submit(txs)[0];
    }

    /// @notice Output `oindex` of an included transaction, as an input.
    function _utxo(Included memory inc, uint256 oindex) internal pure returns (Utxo memory u) {
        u.pos = uint64(inc.txPos + oindex);
        u.txBytes = inc.txBytes;
        u.proof = inc.proof;
        u.timestamp = inc.timestamp;
    }

    function _sign(uint256 key, bytes memory txBytes) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, rootChain.txSigningHash(txBytes));
        return abi.encodePacked(r, s, v);
    }

    // ------------------------------------------------------------------ transactions

    function _one(Utxo memory u) internal pure returns (Utxo[] memory a) {
        a = new Utxo[](1);
        a[0] = u;
    }

    function _two(Utxo memory u, Utxo memory w) internal pure returns (Utxo[] memory a) {
        a = new Utxo[](2);
        a[0] = u;
        a[1] = w;
    }

    function _keys1(uint256 k) internal pure returns (uint256[] memory a) {
        a = new uint256[](1);
        a[0] = k;
    }

    function _keys2(uint256 k, uint256 l) internal pure returns (uint256[] memory a) {
        a = new uint256[](2);
        a[0] = k;
        a[1] = l;
    }

    function _inputsOf(Utxo[] memory ins) internal pure returns (uint64[] memory p) {
        p = new uint64[](ins.length);
        for (uint256 i; i < ins.length; ++i) {
            p[i] = ins[i].pos;
        }
    }

    /// @notice Start arguments for `inFlightTx` spending `ins`, each signed with `keys[i]`.
    function _args(bytes memory inFlightTx, Utxo[] memory ins, uint256[] memory keys)
        internal
        view
        returns (IInFlightExitTypes.StartArgs memory a)
    {
        uint256 n = ins.length;
        a.inFlightTx = inFlightTx;
        a.inputTxs = new bytes[](n);
        a.inputUtxoPos = new uint64[](n);
        a.inputProofs = new bytes[](n);
        a.inputBlockTimestamps = new uint256[](n);
        a.inputSignatures = new bytes[](n);
        for (uint256 i; i < n; ++i) {
            a.inputTxs[i] = ins[i].txBytes;
            a.inputUtxoPos[i] = ins[i].pos;
            a.inputProofs[i] = ins[i].proof;
            a.inputBlockTimestamps[i] = ins[i].timestamp;
            a.inputSignatures[i] = _sign(keys[i], inFlightTx);
        }
    }

    function _start(address starter, IInFlightExitTypes.StartArgs memory a) internal returns (bytes32 exitId) {
        vm.prank(starter);
        rootChain.startInFlightExit{value: ifeBond}(a);
        return keccak256(a.inFlightTx);
    }

    function _piggybackOutput(address owner, bytes memory inFlightTx, uint8 index) internal {
        vm.prank(owner);
        rootChain.piggybackInFlightExitOnOutput{value: piggybackBond}(inFlightTx, index);
    }

    function _piggybackInput(address owner, bytes32 exitId, uint8 index, bytes memory inputTx) internal {
        vm.prank(owner);
        rootChain.piggybackInFlightExitOnInput{value: piggybackBond}(exitId, index, inputTx);
    }

    function _outputId(bytes memory txBytes, uint256 oindex) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(keccak256(txBytes), uint8(oindex)));
    }

    function _status(bytes32 outputId) internal view returns (uint8 status) {
        (status,,) = rootChain.outputExit(outputId);
    }

    function _view(bytes32 exitId) internal view returns (IInFlightExitTypes.InFlightExitView memory) {
        return rootChain.inFlightExit(exitId);
    }

    /// @notice Processes every matured exit of `token_` (after moving past `exitableAt`).
    function _processAll(address token_, uint256 at) internal returns (uint256) {
        if (block.timestamp < at) vm.warp(at);
        vm.prank(keeper);
        return rootChain.processExits(token_, 100);
    }

    /// @notice processExits by the keeper (an EOA, so bounties are paid, not deferred).
    function _process(address token_) internal returns (uint256) {
        vm.prank(keeper);
        return rootChain.processExits(token_, 100);
    }

    // ------------------------------------------------------------------ the usual scenario

    /// @notice Alice deposits 1 ETH; the in-flight tx pays bob 0.6 and alice 0.4 (change).
    ///         Nothing is started.
    function _alicePaysBob() internal returns (Utxo memory dep, bytes memory inFlightTx) {
        dep = _depositETH(alice, 1 ether);
        inFlightTx = TxBuilder.payment2(dep.pos, bob, alice, address(0), 0.6 ether, 0.4 ether);
    }

    /// @notice The usual scenario, started by alice.
    function _startAlicePaysBob() internal returns (Utxo memory dep, bytes memory inFlightTx, bytes32 exitId) {
        (dep, inFlightTx) = _alicePaysBob();
        exitId = _start(alice, _args(inFlightTx, _one(dep), _keys1(aliceKey)));
    }
}
