// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {BlockController} from "../framework/BlockController.sol";
import {IPlasmaFramework} from "../interfaces/IPlasmaFramework.sol";

/// @title Deposits
/// @notice ETH and ERC-20 deposits, each into its own deposit block. Any token works without
///         registration; tokens without a bool return (USDT) go through SafeERC20, and the
///         output is credited with the balance increase (fee-on-transfer tokens).
///
///         At most 999 deposit blocks fit between two child blocks. So that nobody can fill
///         them cheaply and shut deposits out until the next child block, the first
///         FREE_DEPOSITS of an interval are free and every later one pays a congestion fee in
///         ETH that doubles every FEE_DOUBLING deposits (docs/CONTRACTS.md has the cost of a
///         blockade). Fees stay in the contract as ETH surplus.
abstract contract Deposits is BlockController, ReentrancyGuardTransient {
    /// @notice Deposits per interval that pay no congestion fee.
    uint256 public constant FREE_DEPOSITS = 256;
    /// @notice The congestion fee doubles every this many deposits past FREE_DEPOSITS.
    uint256 public constant FEE_DOUBLING = 64;

    /// @notice The first congestion fee of an interval, in wei (DEPOSIT_GAS · BOND_GAS_PRICE).
    uint256 public immutable DEPOSIT_FEE_UNIT;

    /// @param depositFeeUnit DEPOSIT_FEE_UNIT in wei.
    constructor(uint256 depositFeeUnit) {
        DEPOSIT_FEE_UNIT = depositFeeUnit;
    }

    /// @inheritdoc IPlasmaFramework
    function depositETH(address owner) external payable {
        if (owner == address(0)) revert RootChain_ZeroOwner();
        uint256 fee = depositFee();
        if (msg.value <= fee) {
            if (fee == 0) revert RootChain_ZeroDeposit();
            revert RootChain_BadDepositFee(msg.value, fee);
        }
        _deposit(owner, address(0), msg.value - fee);
    }

    /// @inheritdoc IPlasmaFramework
    /// @dev nonReentrant: a token that re-enters from transferFrom would otherwise make the
    ///      outer call credit the inner deposit's tokens a second time (balance delta).
    function depositToken(address owner, address token, uint256 amount) external payable nonReentrant {
        if (owner == address(0)) revert RootChain_ZeroOwner();
        if (token == address(0)) revert RootChain_ZeroToken();
        if (amount == 0) revert RootChain_ZeroDeposit();
        uint256 fee = depositFee();
        if (msg.value != fee) revert RootChain_BadDepositFee(msg.value, fee);
        uint256 before = IERC20(token).balanceOf(address(this));
        if (!SafeERC20.trySafeTransferFrom(IERC20(token), msg.sender, address(this), amount)) {
            revert RootChain_TransferFailed(token);
        }
        uint256 credited = IERC20(token).balanceOf(address(this)) - before;
        if (credited == 0) revert RootChain_ZeroDeposit();
        _deposit(owner, token, credited);
    }

    /// @inheritdoc IPlasmaFramework
    function depositFee() public view returns (uint256) {
        uint256 counter = _depositCounter();
        if (counter <= FREE_DEPOSITS) return 0;
        return DEPOSIT_FEE_UNIT << ((counter - FREE_DEPOSITS - 1) / FEE_DOUBLING);
    }

    function _deposit(address owner, address token, uint256 amount) private {
        (uint256 blknum, bytes32 root) = _recordDepositBlock(owner, token, amount);
        emit DepositCreated(owner, token, blknum, amount, root, block.timestamp);
    }
}
