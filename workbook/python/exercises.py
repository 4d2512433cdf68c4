"""The earlier exercises, by function name: in 07_attention.py,

    from exercises import softmax_rows

loads your 05_softmax_rows.py and gives its softmax_rows. Each exercise file is a module
of its own, so helpers with the same name in two files never clash. (The files' names
start with a digit, which `import` does not accept: this module loads them by path.)
"""
import importlib.util
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
FILES = {
    "scores": "01_scores.py",
    "score_matrix": "02_score_matrix.py",
    "project": "03_project.py",
    "scaled": "04_scaled.py",
    "softmax_rows": "05_softmax_rows.py",
    "context_vector": "06_context_vector.py",
    "attention": "07_attention.py",
    "causal_weights": "08_causal_weights.py",
    "split_heads": "09_split_heads.py",
    "concatenate_heads": "10_concatenate_heads.py",
    "cross_attention": "11_cross_attention.py",
    "softmax_backward_row": "12_softmax_backward_row.py",
    "value_gradient": "13_value_gradient.py",
    "query_key_gradients": "14_query_key_gradients.py",
    "decode_step": "15_decode_step.py",
    "online_softmax_step": "16_online_softmax_step.py",
}


def __getattr__(name):
    file = FILES.get(name)
    if file is None:
        raise AttributeError("no exercise defines %r: the exercises' functions are %s" % (name, ", ".join(FILES)))
    key = "exercise_" + file[:-3]
    module = sys.modules.get(key)
    if module is None:
        spec = importlib.util.spec_from_file_location(key, os.path.join(_HERE, file))
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[key]
            raise
    return getattr(module, name)
