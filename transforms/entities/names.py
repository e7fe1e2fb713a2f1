"""Chinese personal names the small model misses ('He Ruoxi': 'He' reads as the pronoun).

Xinhua copy is full of Chinese names written surname first, given name as one word in pinyin.
An untagged pair <common surname> <pinyin given name> is a person. The surname list is the
common Chinese surnames (general knowledge); the given name must parse as 1-3 pinyin syllables,
which rules out English words like 'March' or 'Said'. Surnames that are also short English
words ('An', 'Man', 'Le') are left out.
"""

from __future__ import annotations

import re

SURNAMES = frozenset([
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
    "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song",
    "Tang", "Han", "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Yuan",
    "Pan", "Yu", "Jiang", "Cai", "Du", "Ye", "Cheng", "Wei", "Su", "Lyu", "Lu", "Ding", "Ren",
    "Shen", "Yao", "Cui", "Zhong", "Tan", "Fan", "Jin", "Shi", "Liao", "Jia", "Xia", "Fu",
    "Fang", "Bai", "Zou", "Meng", "Xiong", "Qin", "Qiu", "Yin", "Xue", "Yan", "Duan", "Lei",
    "Hou", "Long", "Tao", "Hao", "Gong", "Shao", "Wan", "Qian", "Dai", "Mo", "Kong", "Xiang",
    "Chang", "Kang", "Niu", "Ge", "Guan", "Geng", "Mao", "Hong", "Gu", "Wen", "Bao",
    "Ji", "Zhai", "Yi", "Ning", "Rao", "Lai", "Xing", "Ouyang", "Bi", "Chai",
    "Che", "Chu", "Dou", "Fei", "Gan", "Hua", "Huo", "Jiao", "Jing", "Lan", "Lang",
    "Lian", "Ling", "Miao", "Min", "Mu", "Nie", "Pang", "Pei", "Qi", "Qu", "Quan",
    "Rong", "Ruan", "Sang", "Shang", "Sheng", "Tong", "Xi", "Xin", "Yue", "Yun",
    "Zang", "Zhan", "Zhuang", "Zuo",
])

_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (r"(?:iang|iong|uang|ang|eng|ing|ong|uai|uan|iao|ian|ua|uo|ai|ei|ui|ao|ou|iu|ie|ue|"
          r"ve|er|an|en|in|un|a|o|e|i|u|v)")
_SYLLABLE = _INITIAL + _FINAL
_GIVEN = re.compile(rf"(?:{_SYLLABLE})(?:'?{_SYLLABLE}){{0,2}}")


def is_pinyin_given_name(word: str) -> bool:
    """'Ruoxi', 'Jinping', "Xi'an"-style words: capitalised, then 1-3 pinyin syllables."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower() and \
        _GIVEN.fullmatch(word.lower()) is not None


def looks_chinese_name(surname: str, given: str) -> bool:
    return surname in SURNAMES and is_pinyin_given_name(given)
