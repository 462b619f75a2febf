"""The compiled core: wind interpolation, ground height and RK4 integration fused in one module.

Everything that Numba compiles for the balloon channel lives here, so that one compiled RK4 step
calls the wind interpolation and the air density directly (no Python between them) and so that
Numba's on-disk cache (``cache=True``), which only watches the file a function is defined in, is
refreshed whenever any part of the kernel changes. The readable descriptions and the Python entry
points are in :mod:`~corridor.channels.balloon.interpolation` (the wind),
:mod:`~corridor.channels.balloon.atmosphere` (air density) and
:mod:`~corridor.channels.balloon.integrate` (trajectories, run over a thread pool); the pure
NumPy reference of the same scheme is :mod:`~corridor.channels.balloon.numpy_reference`.

Argument tuples passed to every kernel:

* ``W`` (wind): ``(P, times, lat0, dlat, nlat, lon0, dlon, nlon, wrap, nlev)`` with ``P`` the flat
  float64 array (holding the field's float32 values) of (member, time, lat, lon, level,
  [gh, u, v]) (so the level search and the six values of one bracket at one grid corner are
  neighbours in memory), ``times`` UNIX seconds.
* ``G`` (ground): ``(E, lat0, dlat, nlat, lon0, dlon, nlon)`` with ``E`` the flat float32 array
  of ground heights (m above MSL) on a regular latitude × longitude grid (longitudes 0–360);
  a flat ground is a 2 × 2 grid of one value.

All kernels release the GIL (``nogil=True``) so that several threads can integrate different
members at once; no ``fastmath``: the interpolation sums its corners in
Tawhiri's order and the step follows Tawhiri's, apart from a few divisions by constants done as
multiplications by their reciprocals, so the reference flights are reproduced to a micrometre
(``docs/balloon-validation.md``).
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

#: Flag bits of one wind evaluation.
BELOW, ABOVE, AREA, TIME = 1, 2, 4, 8
#: Earth radius used by Tawhiri (m).
EARTH_RADIUS_M = 6371009.0
#: Fixed RK4 step (s), as in Tawhiri.
DT_S = 60.0
#: Tawhiri's factor in its drag descent, w = −1.1045·w0/sqrt(ρ(z)); 1.1045 ≈ sqrt(ρ_NASA(0)).
DRAG_FACTOR = 1.1045
RATE, DRAG = 0, 1
NO_EVENT, Z_AT_OR_ABOVE, Z_BELOW = 0, 1, 2
ENDED_AT_TIME, ENDED_AT_EVENT, ENDED_AT_LIMIT = 0, 1, 2
_DEG = 180.0 / math.pi

_OPTS = {"cache": True, "nogil": True, "error_model": "numpy"}
#: Options of the RK4 loop (:func:`segment`): no Numba reference counting. It allocates nothing, and
#: with counting on, every inlined wind evaluation increfs and decrefs the wind arrays (atomic
#: operations, a shared cache line when several threads fly members); measured in
#: ``bench/balloon_throughput.py``, that bookkeeping cost about a quarter of the step time.
_HOT = dict(_OPTS, _nrt=False)


# --------------------------------------------------------------------------------------------
# air density (NASA Glenn three-layer model) and drag descent (Tawhiri ``make_drag_descent``)

@njit(**_OPTS)
def nasa_density_kg_m3(z_m):
    """Air density (kg/m³) at altitude z (m), NASA Glenn three-layer model (see ``atmosphere``)."""
    if z_m <= 11000.0:
        temp = 15.04 - 0.00649 * z_m
        p = 101.29 * ((temp + 273.1) / 288.08) ** 5.256
    elif z_m <= 25000.0:
        temp = -56.46
        p = 22.65 * np.exp(1.73 - 0.000157 * z_m)
    else:
        temp = -131.21 + 0.00299 * z_m
        p = 2.488 * ((temp + 273.1) / 216.6) ** -11.388
    return p / (0.2869 * (temp + 273.1))


@njit(**_OPTS)
def drag_fall_rate_m_s(sea_level_rate_m_s, z_m):
    """Downward speed (m/s) w(z) = 1.1045·w0/sqrt(ρ(z)) (Tawhiri ``make_drag_descent``)."""
    rho = nasa_density_kg_m3(max(-500.0, z_m))
    return DRAG_FACTOR * sea_level_rate_m_s / np.sqrt(rho)


# --------------------------------------------------------------------------------------------
# wind interpolation (Tawhiri ``interpolate.pyx``; steps in ``interpolation``'s module doc)

@njit(inline="always", **_OPTS)
def _mod360(x):
    """x modulo 360 (Python's sign rule), without the library call when x is already in [0, 360)."""
    if 0.0 <= x < 360.0:
        return x
    return x % 360.0


@njit(inline="always", **_OPTS)
def _time_weights(t, times):
    n = times.shape[0]
    if n == 1:
        return 0, 0, 0.0, 0
    if t < times[0]:
        return 0, 1, 0.0, TIME
    if t > times[n - 1]:
        return n - 2, n - 1, 1.0, TIME
    # the largest i with times[i] <= t (as searchsorted(side="right") − 1), found from a guess
    # for regular steps and corrected by walking, so irregular steps still give the exact interval
    i = int((t - times[0]) / (times[1] - times[0]))
    i = min(i, n - 1)
    while i < n - 1 and times[i + 1] <= t:
        i += 1
    while i > 0 and times[i] > t:
        i -= 1
    i = min(i, n - 2)
    return i, i + 1, (t - times[i]) / (times[i + 1] - times[i]), 0


@njit(inline="always", **_OPTS)
def _axis_weights(a, n):
    flag = 0
    if a < 0.0:
        a = 0.0
        flag = AREA
    elif a > n - 1.0:
        a = n - 1.0
        flag = AREA
    i = int(a)
    i = min(i, n - 2)
    return i, a - i, flag


@njit(inline="always", **_OPTS)
def _col(Pf, off, b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7):
    """Σ w_c·P[corner c, off]: one trilinear value (8 corners; weights as in Tawhiri's interp3)."""
    return (w0 * Pf[b0 + off] + w1 * Pf[b1 + off] + w2 * Pf[b2 + off] + w3 * Pf[b3 + off]
            + w4 * Pf[b4 + off] + w5 * Pf[b5 + off] + w6 * Pf[b6 + off] + w7 * Pf[b7 + off])


@intrinsic
def _bracket6(typingctx, Pf, off, bases, weights):
    """The six trilinear values gh, u, v on levels k and k + 1, with ``off`` = 3k.

    Value j is Σ_c w_c·P[b_c + off + j] summed over the 8 corners in the order of :func:`_col`,
    so each is bit for bit what ``_col`` gives; the six are computed side by side in two short
    vectors (values 0–3 and 4–5, which lie next to each other in memory at every corner).
    Numba's compiler does not find this on its own; the vector form was measured about 15 %
    faster per RK4 step (``bench/balloon_throughput.py``). Only IEEE multiplications and
    additions, in order and without contraction, are emitted, so the results do not change.
    """
    sig = types.UniTuple(types.float64, 6)(Pf, off, bases, weights)

    def codegen(context, builder, signature, args):
        arr, base_off, bt, wt = args
        data = context.make_array(signature.args[0])(context, builder, arr).data
        i32 = ir.IntType(32)
        values = []
        for start, width in ((0, 4), (4, 2)):
            vty = ir.VectorType(ir.DoubleType(), width)
            splat = ir.Constant(ir.VectorType(i32, width), [0] * width)
            acc = None
            for c in range(8):
                idx = builder.add(builder.add(builder.extract_value(bt, c), base_off),
                                  ir.Constant(base_off.type, start))
                vec = builder.load(builder.bitcast(builder.gep(data, [idx]), vty.as_pointer()), align=8)
                one = builder.insert_element(ir.Constant(vty, ir.Undefined), builder.extract_value(wt, c),
                                             ir.Constant(i32, 0))
                term = builder.fmul(builder.shuffle_vector(one, ir.Constant(vty, ir.Undefined), splat), vec)
                acc = term if acc is None else builder.fadd(acc, term)
            values += [builder.extract_element(acc, ir.Constant(i32, j)) for j in range(width)]
        return context.make_tuple(builder, signature.return_type, values)

    return sig, codegen


@njit(inline="always", **_OPTS)
def wind_kernel(W, m, t, lat, lon, z, hint):
    """u, v (m/s) at time t (UNIX s), lat, lon (degrees), z (m above MSL) in member m.

    Returns ``(u, v, flags, bracket)``; pass ``bracket`` back as ``hint`` on the next call: the
    level search starts there (the same bracket as Tawhiri's binary search, since gh rises with
    level).
    """
    return wind_at_time(W, m, _time_weights(t, W[1]), lat, lon, z, hint)


@njit(**_HOT)
def wind_at_time(W, m, tw, lat, lon, z, hint):
    """:func:`wind_kernel` with the time weights ``tw`` = ``_time_weights(t, times)`` given.

    The RK4 step evaluates the wind twice at t + h/2 and its last stage at the next step's
    start, so it works out the time weights twice per step instead of four times.
    """
    Pf, times, lat0, dlat, nlat, lon0, dlon, nlon, wrap, nlev = W
    t0, t1, ft, flags = tw
    # reciprocal steps: the divisions by constants leave the chain from one RK4 stage to the next
    y0, fy, fl = _axis_weights((lat - lat0) * (1.0 / dlat), nlat)
    flags |= fl
    if wrap:
        a = ((lon - lon0) % 360.0) / dlon
        x0 = int(a)
        fx = a - x0
        if x0 >= nlon:
            x0 = nlon - 1
        x1 = (x0 + 1) % nlon
    else:
        d = _mod360(lon - lon0 + 180.0) - 180.0
        x0, fx, fl = _axis_weights(d * (1.0 / dlon), nlon)
        flags |= fl
        x1 = x0 + 1
    nt = times.shape[0]
    col = nlev * 3
    y1 = y0 + 1
    r00 = ((m * nt + t0) * nlat + y0) * nlon
    r01 = ((m * nt + t0) * nlat + y1) * nlon
    r10 = ((m * nt + t1) * nlat + y0) * nlon
    r11 = ((m * nt + t1) * nlat + y1) * nlon
    b0, b1, b2, b3 = (r00 + x0) * col, (r00 + x1) * col, (r01 + x0) * col, (r01 + x1) * col
    b4, b5, b6, b7 = (r10 + x0) * col, (r10 + x1) * col, (r11 + x0) * col, (r11 + x1) * col
    # unsigned offsets: Numba adds a negative-index wrap-around to every load with a signed index
    # (two more instructions on each of the ~48 loads of an evaluation); these are never negative
    b0, b1, b2, b3 = np.uint64(b0), np.uint64(b1), np.uint64(b2), np.uint64(b3)
    b4, b5, b6, b7 = np.uint64(b4), np.uint64(b5), np.uint64(b6), np.uint64(b7)
    gt, gy, gx = 1.0 - ft, 1.0 - fy, 1.0 - fx
    w0, w1, w2, w3 = gt * gy * gx, gt * gy * fx, gt * fy * gx, gt * fy * fx
    w4, w5, w6, w7 = ft * gy * gx, ft * gy * fx, ft * fy * gx, ft * fy * fx
    k = hint
    k = max(k, 0)
    k = min(k, nlev - 2)
    # the six values of the bracket (gh, u, v on levels k and k + 1) in one pass; the bracket is
    # nearly always the hint's, and only when it is not are the levels walked as Tawhiri does
    s0, s1, s2, s3, s4, s5 = _bracket6(Pf, np.uint64(3 * k), (b0, b1, b2, b3, b4, b5, b6, b7),
                                       (w0, w1, w2, w3, w4, w5, w6, w7))
    g_lo, g_hi = s0, s3
    if (k > 0 and g_lo >= z) or (k < nlev - 2 and g_hi < z):
        while k > 0 and g_lo >= z:
            k -= 1
            g_lo = _col(Pf, np.uint64(3 * k), b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7)
        g_hi = _col(Pf, np.uint64(3 * k + 3), b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7)
        while k < nlev - 2 and g_hi < z:
            k += 1
            g_lo = g_hi
            g_hi = _col(Pf, np.uint64(3 * k + 3), b0, b1, b2, b3, b4, b5, b6, b7, w0, w1, w2, w3, w4, w5, w6, w7)
        s0, s1, s2, s3, s4, s5 = _bracket6(Pf, np.uint64(3 * k), (b0, b1, b2, b3, b4, b5, b6, b7),
                                           (w0, w1, w2, w3, w4, w5, w6, w7))
    if z < g_lo:
        flags |= BELOW
    elif z > g_hi:
        flags |= ABOVE
    lam = (g_hi - z) / (g_hi - g_lo)
    uu = lam * s1 + (1.0 - lam) * s4
    vv = lam * s2 + (1.0 - lam) * s5
    return uu, vv, flags, k


@njit(**_OPTS)
def wind_many(W, member, t, lat, lon, z):
    """:func:`wind_kernel` at n points (1-D arrays); returns u, v and flags."""
    n = t.shape[0]
    uo = np.empty(n)
    vo = np.empty(n)
    fo = np.empty(n, dtype=np.int64)
    for i in range(n):
        uo[i], vo[i], fo[i], _ = wind_kernel(W, member[i], t[i], lat[i], lon[i], z[i], 0)
    return uo, vo, fo


# --------------------------------------------------------------------------------------------
# ground height (bilinear on a regular grid, clamped at its edges)

@njit(inline="always", **_OPTS)
def ground_height(G, lat, lon):
    """Ground height (m above MSL) at lat, lon (degrees; lon 0–360), bilinear in the grid ``G``."""
    E, lat0, dlat, nlat, lon0, dlon, nlon = G
    y0, fy, _ = _axis_weights((lat - lat0) / dlat, nlat)
    x0, fx, _ = _axis_weights((lon - lon0) / dlon, nlon)
    r0 = y0 * nlon + x0
    r1 = r0 + nlon
    return ((1.0 - fy) * ((1.0 - fx) * E[r0] + fx * E[r0 + 1])
            + fy * ((1.0 - fx) * E[r1] + fx * E[r1 + 1]))


@njit(**_OPTS)
def ground_many(G, lat, lon):
    n = lat.shape[0]
    out = np.empty(n)
    for i in range(n):
        out[i] = ground_height(G, lat[i], lon[i] % 360.0)
    return out


# --------------------------------------------------------------------------------------------
# RK4 (Tawhiri ``solver.pyx``) and the flight phases

@njit(inline="always", **_OPTS)
def _rates(W, m, tw, lat, lon, z, hint, kind, p, du, dv):
    uu, vv, fl, hint = wind_at_time(W, m, tw, lat, lon, z, hint)
    uu += du
    vv += dv
    r = EARTH_RADIUS_M + z
    # (180/π)/r and (180/π)/(r·cos φ) depend only on the position, so they are worked out while
    # the wind is interpolated; the step then waits for one multiplication, not a division
    dlat_dt = vv * (_DEG / r)
    dlon_dt = uu * (_DEG / (r * math.cos(lat * (1.0 / _DEG))))
    if kind == RATE:
        dz_dt = p
    else:
        dz_dt = -drag_fall_rate_m_s(p, z)
    return dlat_dt, dlon_dt, dz_dt, fl, hint


@njit(inline="always", **_OPTS)
def _done(G, t, lat, lon, z, t_stop, exact, ev, z_target):
    if (not exact) and t > t_stop:
        return True
    if ev == Z_AT_OR_ABOVE and z >= z_target:
        return True
    return ev == Z_BELOW and z < z_target + ground_height(G, lat, lon)


@njit(**_HOT)
def segment(W, G, m, t, lat, lon, z, hint, kind, p, du, dv, t_stop, exact, ev, z_target, max_steps,
            counts, rec, nrec):
    """Integrate one phase from (t, lat, lon, z); stop rules in ``integrate``'s module doc.

    ``Z_BELOW`` ends when the altitude goes below ``z_target`` plus the ground height of ``G``
    under the balloon. ``counts`` (int64[4]) accumulates, per flag bit, the steps whose wind was
    extrapolated; ``rec`` (float64[n, 4]) receives t, lat, lon, z of the start, every kept step
    and the end when it has room (pass a (0, 4) array to record nothing). Returns
    ``(t, lat, lon, z, hint, how_it_ended, nrec)``.
    """
    if nrec < rec.shape[0]:
        rec[nrec, 0], rec[nrec, 1], rec[nrec, 2], rec[nrec, 3] = t, lat, lon, z
        nrec += 1
    times = W[1]
    tw = _time_weights(t, times)
    steps = 0
    while True:
        h = DT_S
        if exact:
            h = t_stop - t
            if h <= 1e-9:
                return t, lat, lon, z, hint, ENDED_AT_TIME, nrec
            h = min(h, DT_S)
        if steps >= max_steps:
            return t, lat, lon, z, hint, ENDED_AT_LIMIT, nrec
        steps += 1
        a1, b1, c1, f1, hint = _rates(W, m, tw, lat, lon, z, hint, kind, p, du, dv)
        h2 = 0.5 * h
        tw_mid = _time_weights(t + h2, times)
        tw_end = _time_weights(t + h, times)
        a2, b2, c2, f2, hint = _rates(W, m, tw_mid, lat + h2 * a1, _mod360(lon + h2 * b1),
                                      z + h2 * c1, hint, kind, p, du, dv)
        a3, b3, c3, f3, hint = _rates(W, m, tw_mid, lat + h2 * a2, _mod360(lon + h2 * b2),
                                      z + h2 * c2, hint, kind, p, du, dv)
        a4, b4, c4, f4, hint = _rates(W, m, tw_end, lat + h * a3, _mod360(lon + h * b3),
                                      z + h * c3, hint, kind, p, du, dv)
        fl = f1 | f2 | f3 | f4
        if fl:
            for bit in range(4):
                if fl & (1 << bit):
                    counts[bit] += 1
        s = h / 6.0
        t2 = t + h
        lat2 = lat + s * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
        lon2 = _mod360(lon + s * (b1 + 2.0 * b2 + 2.0 * b3 + b4))
        z2 = z + s * (c1 + 2.0 * c2 + 2.0 * c3 + c4)
        if _done(G, t2, lat2, lon2, z2, t_stop, exact, ev, z_target):
            left, right = 0.0, 1.0
            tm, latm, lonm, zm = t, lat, lon, z
            while right - left > 0.01:
                mid = 0.5 * (left + right)
                tm = t + mid * (t2 - t)
                latm = lat + mid * (lat2 - lat)
                lonm = lon + mid * (lon2 - lon)
                zm = z + mid * (z2 - z)
                if _done(G, tm, latm, lonm, zm, t_stop, exact, ev, z_target):
                    right = mid
                else:
                    left = mid
            if nrec < rec.shape[0]:
                rec[nrec, 0], rec[nrec, 1], rec[nrec, 2], rec[nrec, 3] = tm, latm, lonm, zm
                nrec += 1
            how = ENDED_AT_TIME if (not exact and tm > t_stop) or (not exact and ev == NO_EVENT) else ENDED_AT_EVENT
            return tm, latm, lonm, zm, hint, how, nrec
        t, lat, lon, z = t2, lat2, lon2, z2
        tw = tw_end                      # t2 is t + h: the same time, the same weights
        if nrec < rec.shape[0]:
            rec[nrec, 0], rec[nrec, 1], rec[nrec, 2], rec[nrec, 3] = t, lat, lon, z
            nrec += 1
        if exact and t >= t_stop - 1e-9:
            return t, lat, lon, z, hint, ENDED_AT_TIME, nrec


@njit(**_OPTS)
def fly_balloons_range(W, G, member, t0, lat0, lon0, z0, ascent, z_float, leak, descent, t_end, releases,
                       ground_m, du, dv, drops, in_air, end, counts, lo, hi):
    """Balloons ``lo``…``hi − 1`` of :func:`integrate.fly_balloons`, written into the output arrays."""
    k_max = releases.shape[1]
    rec = np.empty((0, 4))
    for i in range(lo, hi):
        t, lat, lon, z = t0[i], lat0[i], lon0[i], z0[i]
        hint = 0
        nvalid = 0
        for k in range(k_max):
            if not np.isnan(releases[i, k]):
                nvalid += 1
        k = 0
        phase = 0  # 0 ascent, 1 float, 2 descent
        c = counts[i]
        while True:
            t_next = releases[i, k] if k < nvalid else t_end[i]
            if phase == 0:
                t, lat, lon, z, hint, how, _ = segment(W, G, member[i], t, lat, lon, z, hint, RATE, ascent[i],
                                                       du[i], dv[i], t_next, True, Z_AT_OR_ABOVE,
                                                       z_float[i], 100000, c, rec, 0)
                if how == ENDED_AT_EVENT:
                    phase = 1
                    continue
            elif phase == 1:
                t, lat, lon, z, hint, how, _ = segment(W, G, member[i], t, lat, lon, z, hint, RATE, leak[i],
                                                       du[i], dv[i], t_next, True, Z_BELOW, ground_m,
                                                       100000, c, rec, 0)
            else:
                t, lat, lon, z, hint, how, _ = segment(W, G, member[i], t, lat, lon, z, hint, DRAG,
                                                       descent[i], du[i], dv[i], 1e300, False, Z_BELOW,
                                                       ground_m, 100000, c, rec, 0)
                break
            if how == ENDED_AT_EVENT:      # came down while floating
                break
            if how == ENDED_AT_LIMIT:
                break
            if k < nvalid:
                drops[i, k, 0], drops[i, k, 1], drops[i, k, 2], drops[i, k, 3] = t, lat, lon, z
                in_air[i, k] = True
                k += 1
                if k == nvalid:
                    phase = 2
            else:
                phase = 2
        end[i, 0], end[i, 1], end[i, 2], end[i, 3] = t, lat, lon, z
        for j in range(k_max):
            if not in_air[i, j]:
                drops[i, j, 0], drops[i, j, 1], drops[i, j, 2], drops[i, j, 3] = t, lat, lon, z


@njit(**_OPTS)
def fall_parcels_range(W, G, member, t0, lat0, lon0, z0, fall_rate, du, dv, ground_m, out, counts, lo, hi):
    """Parcels ``lo``…``hi − 1`` of :func:`integrate.fall_parcels`."""
    rec = np.empty((0, 4))
    for i in range(lo, hi):
        t, lat, lon, z, _, _, _ = segment(W, G, member[i], t0[i], lat0[i], lon0[i], z0[i], 0, DRAG,
                                          fall_rate[i], du[i], dv[i], 1e300, False, Z_BELOW,
                                          ground_m, 100000, counts[i], rec, 0)
        out[i, 0], out[i, 1], out[i, 2], out[i, 3] = t, lat, lon, z


@njit(**_OPTS)
def fly_float_range(W, G, member, t0, lat0, lon0, z0, ascent, z_float, t_stop, out, counts, lo, hi):
    """Flights ``lo``…``hi − 1`` of :func:`integrate.fly_float_profiles`."""
    rec = np.empty((0, 4))
    for i in range(lo, hi):
        t, lat, lon, z, hint, _, _ = segment(W, G, member[i], t0[i], lat0[i], lon0[i], z0[i], 0, RATE,
                                             ascent[i], 0.0, 0.0, 1e300, False, Z_AT_OR_ABOVE, z_float[i],
                                             10**6, counts[i], rec, 0)
        t, lat, lon, z, _, _, _ = segment(W, G, member[i], t, lat, lon, z, hint, RATE, 0.0, 0.0, 0.0,
                                          t_stop[i], False, NO_EVENT, 0.0, 10**6, counts[i], rec, 0)
        out[i, 0], out[i, 1], out[i, 2], out[i, 3] = t, lat, lon, z
