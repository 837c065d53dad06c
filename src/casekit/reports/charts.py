"""Static charts of the reports, in the house style (`casekit.plots`); each returns its figure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casekit import fmt
from casekit.plots import PALETTE, new_figure, percent_axis

SCALE_TICKS = [1, 2, 3, 4, 5]


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def plot_module_marks(results: pd.DataFrame, pass_mark: float, title: str = "Vos notes par quiz (sur 20)"):
    """Horizontal bars: the mark /20 of each quiz answered (final evaluation included), the pass mark
    dashed."""
    shown = results[results["mark"].notna()]
    fig, ax = new_figure(title, figsize=(10, 0.45 * max(len(shown), 3) + 1.4))
    positions = np.arange(len(shown))[::-1]
    colors = [PALETTE[0] if mode == "practice" else PALETTE[1] for mode in shown["mode"]]
    ax.barh(positions, shown["mark"], color=colors)
    for y, mark in zip(positions, shown["mark"]):
        ax.text(mark + 0.2, y, fmt.number(mark, 1), va="center", fontsize=11)
    ax.axvline(pass_mark, color=PALETTE[3], linestyle="--", linewidth=1.5,
               label=f"Seuil de réussite ({fmt.number(pass_mark, 1)}/20)")
    ax.set_yticks(positions, [_short(t, 60) for t in shown["title"]], fontsize=10)
    ax.set_xlim(0, 21)
    ax.set_xticks(range(0, 21, 2))
    ax.legend(loc="lower right", fontsize=10)
    return fig


def plot_self_assessment(skills: pd.DataFrame,
                         title: str = "Votre auto-évaluation : avant et après la formation"):
    """Per skill, the level before and after (1 to 5), side by side."""
    fig, ax = new_figure(title, figsize=(10, 0.5 * max(len(skills), 3) + 1.6))
    positions = np.arange(len(skills))[::-1]
    ax.barh(positions + 0.2, skills["before"].astype(float), height=0.4, color=PALETTE[5], label="Avant")
    ax.barh(positions - 0.2, skills["after"].astype(float), height=0.4, color=PALETTE[0], label="Après")
    ax.set_yticks(positions, [f"{s} – {_short(lbl, 52)}" for s, lbl in zip(skills["skill"], skills["label"])],
                  fontsize=9.5)
    ax.set_xlim(0, 5.3)
    ax.set_xticks(SCALE_TICKS)
    ax.set_xlabel("1 : je ne connais pas … 5 : je peux l'expliquer à d'autres")
    ax.legend(loc="lower right", fontsize=10)
    return fig


def plot_mark_distribution(distribution: pd.DataFrame, pass_mark: float,
                           title: str = "Distribution des notes de l'évaluation finale"):
    """Participants per band of final mark; bands under the pass mark in red."""
    fig, ax = new_figure(title, ylabel="Participants", figsize=(10, 4.5))
    colors = [PALETTE[3] if high <= pass_mark else PALETTE[2] for high in distribution["high"]]
    ax.bar(np.arange(len(distribution)), distribution["count"], color=colors)
    ax.set_xticks(np.arange(len(distribution)), distribution["band"], fontsize=10)
    ax.set_xlabel("Note sur 20")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return fig


def plot_skill_scores(by_skill: pd.DataFrame, title: str = "Réussite de la classe par compétence"):
    """Mean score of the class per skill (share of the points earned)."""
    fig, ax = new_figure(title, figsize=(10, 0.45 * max(len(by_skill), 3) + 1.4))
    positions = np.arange(len(by_skill))[::-1]
    ax.barh(positions, by_skill["mean_score"], color=PALETTE[0])
    labels = [f"{s} – {_short(lbl, 52)}" for s, lbl in zip(by_skill["skill"], by_skill["label"])]
    ax.set_yticks(positions, labels, fontsize=9.5)
    ax.set_xlim(0, 1)
    percent_axis(ax, "x")
    return fig


def plot_skills_progression(progression: pd.DataFrame,
                            title: str = "Auto-évaluation de la classe : moyenne avant et après"):
    """Per skill, the class's mean level before and after (dumbbell chart, 1 to 5)."""
    fig, ax = new_figure(title, figsize=(10, 0.45 * max(len(progression), 3) + 1.6))
    positions = np.arange(len(progression))[::-1]
    ax.hlines(positions, progression["before"], progression["after"], color=PALETTE[5], linewidth=2)
    ax.scatter(progression["before"], positions, color=PALETTE[5], s=60, label="Avant", zorder=3)
    ax.scatter(progression["after"], positions, color=PALETTE[0], s=60, label="Après", zorder=3)
    ax.set_yticks(positions, [f"{s} – {_short(lbl, 52)}" for s, lbl in
                              zip(progression["skill"], progression["label"])], fontsize=9.5)
    ax.set_xlim(0.8, 5.2)
    ax.set_xticks(SCALE_TICKS)
    ax.legend(loc="lower right", fontsize=10)
    return fig


def plot_usefulness(usefulness: pd.DataFrame, title: str = "Utilité perçue de chaque module (moyenne sur 5)"):
    """Mean usefulness of each module (1 to 5)."""
    fig, ax = new_figure(title, figsize=(10, 0.45 * max(len(usefulness), 3) + 1.4))
    positions = np.arange(len(usefulness))[::-1]
    ax.barh(positions, usefulness["mean"], color=PALETTE[2])
    for y, value in zip(positions, usefulness["mean"]):
        ax.text(value + 0.05, y, fmt.number(value, 1), va="center", fontsize=10)
    ax.set_yticks(positions, [_short(t, 60) for t in usefulness["title"]], fontsize=9.5)
    ax.set_xlim(0, 5.4)
    ax.set_xticks(SCALE_TICKS)
    return fig
