"""Real clients against `neuralcanvas-cli serve`, as application developers write them.

Usage: serve_client.py CASE URL MODEL PIXELS C H W [PNG]
PIXELS is a file of uint8 [C, H, W]; the script prints one JSON line with what it got back
(probabilities as the server sent them) so the C++ test can compare with `predict`.
Only the standard library and Debian's python3-requests / python3-prometheus-client.
"""
import base64
import json
import socket
import struct
import sys
import time
import urllib.error
import urllib.request


def post(url, body, headers=None):
    req = urllib.request.Request(url, data=body, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def main():
    case, url, model, pixels_path, c, h, w = sys.argv[1:8]
    c, h, w = int(c), int(h), int(w)
    pixels = open(pixels_path, "rb").read()
    unit = [p / 255.0 for p in pixels]
    out = {}
    if case == "kserve-binary":
        # The binary tensor data extension: JSON header, then little-endian FP32 bytes; the
        # probabilities come back as binary too.
        blob = struct.pack("<%df" % len(unit), *unit)
        header = json.dumps({
            "inputs": [{"name": "input", "shape": [1, c, h, w], "datatype": "FP32",
                        "parameters": {"binary_data_size": len(blob)}}],
            "outputs": [{"name": "probabilities", "parameters": {"binary_data": True}}],
        }).encode()
        status, headers, body = post(url + "/v2/models/%s/infer" % model, header + blob,
                                     {"Inference-Header-Content-Length": str(len(header)),
                                      "Content-Type": "application/octet-stream"})
        n = int(headers.get("Inference-Header-Content-Length"))
        meta = json.loads(body[:n])
        size = meta["outputs"][0]["parameters"]["binary_data_size"]
        out = {"status": status, "probabilities": list(struct.unpack("<%df" % (size // 4), body[n:n + size]))}
    elif case == "tfserving":
        # TF Serving's row format with nested [C][H][W] instances, via requests.
        import requests
        instance = [[[unit[(ch * h + y) * w + x] for x in range(w)] for y in range(h)] for ch in range(c)]
        r = requests.post(url + "/v1/models/%s:predict" % model, json={"instances": [instance, instance]}, timeout=30)
        preds = r.json()["predictions"]
        out = {"status": r.status_code, "probabilities": preds[0]["probabilities"], "count": len(preds),
               "label": preds[0]["label"]}
    elif case == "tfserving-b64":
        png = open(sys.argv[8], "rb").read()
        body = json.dumps({"instances": [{"b64": base64.b64encode(png).decode()}]}).encode()
        status, _, data = post(url + "/v1/models/%s:predict" % model, body, {"Content-Type": "application/json"})
        out = {"status": status, "probabilities": json.loads(data)["predictions"][0]["probabilities"]}
    elif case == "metrics":
        from prometheus_client.parser import text_string_to_metric_families
        with urllib.request.urlopen(url + "/metrics", timeout=30) as r:
            text = r.read().decode()
        families = {f.name: f for f in text_string_to_metric_families(text)}
        ok = sum(s.value for s in families["nc_requests"].samples
                 if s.name == "nc_requests_total" and s.labels.get("model") == model and s.labels.get("code") == "200")
        hist = [s for s in families["nc_request_duration_seconds"].samples
                if s.name == "nc_request_duration_seconds_count" and s.labels.get("model") == model]
        out = {"requests_ok": ok, "latency_count": hist[0].value if hist else 0,
               "families": sorted(families)}
    elif case == "slowloris":
        # One byte a second: the server cuts the connection off; meanwhile others are answered.
        host, port = url[len("http://"):].split(":")
        s = socket.create_connection((host, int(port)))
        request = b"GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
        started = time.time()
        closed_after = None
        others_ok = 0
        for byte in request:
            try:
                s.send(bytes([byte]))
            except OSError:
                closed_after = time.time() - started
                break
            with urllib.request.urlopen(url + "/v2/health/live", timeout=5) as r:
                others_ok += r.status == 200
            s.settimeout(1.0)
            try:
                if s.recv(1) == b"":
                    closed_after = time.time() - started
                    break
            except socket.timeout:
                pass
        out = {"closed_after": closed_after, "others_ok": others_ok}
    elif case == "idle":
        # N connections that never send a byte, held while another client is answered; the
        # server closes them after its read timeout.
        import resource
        n = int(sys.argv[8])
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n + 256)), hard))
        host, port = url[len("http://"):].split(":")
        idle = []
        for _ in range(n):
            idle.append(socket.create_connection((host, int(port))))
        others_ok = 0
        for _ in range(20):
            with urllib.request.urlopen(url + "/v2/health/live", timeout=5) as r:
                others_ok += r.status == 200
        closed = 0
        deadline = time.time() + 8
        for s in idle:
            s.settimeout(max(0.01, deadline - time.time()))
            try:
                closed += s.recv(1) == b""
            except (socket.timeout, OSError):
                pass
        out = {"opened": len(idle), "others_ok": others_ok, "closed_by_server": closed}
    elif case == "huge-length":
        host, port = url[len("http://"):].split(":")
        s = socket.create_connection((host, int(port)))
        s.sendall(b"POST /v2/models/%s/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n" % model.encode())
        s.settimeout(10)
        reply = s.recv(4096).decode(errors="replace")
        out = {"reply": reply.split("\r\n")[0]}
    elif case == "slow-reader":
        # 256 images in one request, then the answer (JSON, ~30 KB) read only after a second
        # through a 1 KB receive buffer: the server cannot send it at once and finishes it later.
        # The same connection then gets a second answer (keep-alive goes on after such a write).
        host, port = url[len("http://"):].split(":")
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.connect((host, int(port)))
        n = 256
        header = json.dumps({"inputs": [{"name": "input", "shape": [n, c, h, w], "datatype": "UINT8",
                                         "parameters": {"binary_data_size": n * len(pixels)}}]}).encode()
        body = header + pixels * n
        request = (b"POST /v2/models/%s/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                   b"Inference-Header-Content-Length: %d\r\nContent-Length: %d\r\n\r\n"
                   % (model.encode(), len(header), len(body))) + body
        answers = []
        reader = s.makefile("rb")
        for _ in range(2):
            s.sendall(request)
            time.sleep(1.0)
            status_line = reader.readline().decode()
            length = 0
            while True:
                line = reader.readline().decode().strip()
                if not line:
                    break
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":")[1])
            data = json.loads(reader.read(length))
            answers.append({"status": int(status_line.split()[1]), "bytes": length,
                            "rows": data["outputs"][1]["shape"][0],
                            "first": data["outputs"][1]["data"][:len(data["outputs"][1]["data"]) // n],
                            "last": data["outputs"][1]["data"][-(len(data["outputs"][1]["data"]) // n):]})
        out = {"answers": answers}
    elif case == "load":
        # Several clients in a loop for SECONDS (argument 8): counts answers that were not 200
        # and the distinct answers seen (a hot swap shows as more than one).
        import threading
        seconds = float(sys.argv[8])
        body = json.dumps({"inputs": [{"name": "input", "shape": [1, c, h, w], "datatype": "FP32",
                                       "data": unit}]}).encode()
        lock = threading.Lock()
        stats = {"ok": 0, "failed": 0, "distinct": set(), "codes": [], "versions": set()}
        deadline = time.time() + seconds

        def worker():
            while time.time() < deadline:
                status, _, data = post(url + "/v2/models/%s/infer" % model, body, {"Content-Type": "application/json"})
                with lock:
                    if status == 200:
                        stats["ok"] += 1
                        answer = json.loads(data)
                        probs = answer["outputs"][1]["data"]
                        stats["distinct"].add(tuple(round(p, 6) for p in probs))
                        stats["versions"].add(answer.get("model_version", ""))
                    else:
                        stats["failed"] += 1
                        stats["codes"].append(status)
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        out = {"ok": stats["ok"], "failed": stats["failed"], "distinct": len(stats["distinct"]),
               "codes": stats["codes"][:10], "versions": sorted(stats["versions"])}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
