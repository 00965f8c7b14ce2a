"""The way people serve a PyTorch model by hand: a TorchScript file behind Flask (run under
gunicorn). Takes the same KServe v2 JSON body as `neuralcanvas-cli serve` and answers logits
and probabilities, so `bench/serve-bench.sh` can load both with the same requests.

    NC_TORCHSCRIPT=model.pt gunicorn -w 2 -b 127.0.0.1:9000 serve_peer_flask:app
"""
import os

import torch
from flask import Flask, jsonify, request

torch.set_num_threads(int(os.environ.get("NC_PEER_THREADS", "1")))
model = torch.jit.load(os.environ["NC_TORCHSCRIPT"])
model.eval()
app = Flask(__name__)


@app.post("/v2/models/<name>/infer")
def infer(name):
    body = request.get_json(force=True)
    tensor = body["inputs"][0]
    x = torch.tensor(tensor["data"], dtype=torch.float32).reshape(tensor["shape"])
    with torch.no_grad():
        logits = model(x)
        probabilities = torch.softmax(logits, dim=1)
    shape = list(logits.shape)
    return jsonify({"model_name": name, "outputs": [
        {"name": "logits", "datatype": "FP32", "shape": shape, "data": logits.flatten().tolist()},
        {"name": "probabilities", "datatype": "FP32", "shape": shape, "data": probabilities.flatten().tolist()}]})
