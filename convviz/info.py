"""What `convviz info` reports: versions, CPU, GPU (or why none), backends."""

from __future__ import annotations

from typing import Any

from convviz.core import device, sysinfo


def collect() -> dict[str, Any]:
    from convviz import backends
    from convviz.version import __version__

    choice = device.choose()
    data: dict[str, Any] = {
        "convviz": __version__,
        "versions": sysinfo.versions(),
        "cpu": {"model": sysinfo.cpu_model(), "cores": sysinfo.cpu_cores()},
        "device_choice": {
            "requested": choice.requested,
            "mode": choice.mode,
            "reason": choice.reason,
        },
        "gpu": None,
        "backends": [],
    }
    for be in backends.all_backends():
        data["backends"].append(
            {
                "name": be.name,
                "label": be.label,
                "available": be.available,
                "reason": be.reason,
                "device": be.device if be.available else None,
                "simulated": be.simulated,
            }
        )
    cuda_be = backends.get("cuda")
    if cuda_be.available and not cuda_be.simulated:
        from convviz.backends.cuda import gpu_info

        data["gpu"] = gpu_info()
    else:
        data["gpu_reason"] = choice.reason if choice.mode != "gpu" else cuda_be.reason or "no GPU"
    return data


def format_text(data: dict[str, Any]) -> list[str]:
    v = data["versions"]
    lines = [
        f"convviz {data['convviz']} on Python {v['python']}",
        "packages  " + ", ".join(f"{k} {val}" for k, val in v.items() if val and k != "python"),
        f"CPU       {data['cpu']['model']}, {data['cpu']['cores']} cores",
    ]
    if data["gpu"]:
        g = data["gpu"]
        lines.append(
            f"GPU       {g['name']}, compute {g['compute_capability'][0]}."
            f"{g['compute_capability'][1]}, {g['sm_count']} SMs, "
            f"{g['memory_total_bytes'] / 2**30:.1f} GiB"
        )
    else:
        lines.append(f"GPU       none: {data.get('gpu_reason', '')}")
    lines.append(
        f"CUDA      CONVVIZ_DEVICE={data['device_choice']['requested']} → "
        f"{data['device_choice']['mode']}"
    )
    lines.append("backends")
    for b in data["backends"]:
        state = f"yes  {b['device']}" if b["available"] else f"no   {b['reason']}"
        lines.append(f"  {b['name']:13s} {state}")
    return lines
