/* Compiled inner loops of the matcher (optional: stopship.match.features and
 * stopship.index.tokens fall back to their pure-Python code when this module is absent).
 *
 * Each function computes exactly what its Python counterpart computes, operation for
 * operation on the same doubles (no fused multiply-add: built with -ffp-contract=off), so
 * scores are the same bits. When an argument is not of the plain type the fast path
 * expects (a float that is not an exact float, ...), the function returns None and the
 * caller runs the Python code instead. tests/unit/test_match_kernel.py checks that both
 * paths agree on real names.
 *
 * token_similarity also stands in for rapidfuzz's OSA.normalized_similarity (the same
 * distance, divided as rapidfuzz divides it); it takes phonetic keys from
 * features.phonetic.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ sum() */

/* sum(values) as the builtin computes it for a sequence of exact floats. Up to Python
 * 3.11 that is left-to-right addition starting from 0 (0 + x == x); from 3.12 on the
 * builtin compensates rounding errors, so the builtin itself is called. Returns 0 on
 * success. */
static PyObject *builtin_sum = NULL;

static int
float_sum(const double *vals, Py_ssize_t n, double *out)
{
#if PY_VERSION_HEX < 0x030C0000
    double r = 0.0;
    for (Py_ssize_t k = 0; k < n; k++)
        r += vals[k];
    *out = r;
    return 0;
#else
    PyObject *tup = PyTuple_New(n);
    if (tup == NULL)
        return -1;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *f = PyFloat_FromDouble(vals[k]);
        if (f == NULL) {
            Py_DECREF(tup);
            return -1;
        }
        PyTuple_SET_ITEM(tup, k, f);
    }
    PyObject *res = PyObject_CallOneArg(builtin_sum, tup);
    Py_DECREF(tup);
    if (res == NULL)
        return -1;
    *out = PyFloat_AsDouble(res); /* an int 0 for an empty sum: 0.0 */
    Py_DECREF(res);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
#endif
}

/* ------------------------------------------------------------------ align_core */

typedef struct {
    double s;
    Py_ssize_t i, j, seq;
    PyObject *obj; /* the similarity as returned (borrowed from the row cache or owned) */
} Cand;

static int
cand_cmp(const void *a, const void *b)
{
    const Cand *x = (const Cand *)a, *y = (const Cand *)b;
    if (x->s > y->s)
        return -1;
    if (x->s < y->s)
        return 1;
    return (x->seq < y->seq) ? -1 : (x->seq > y->seq);
}

/* a list of exact floats as doubles; 1 when some item is not an exact float */
static int
float_list(PyObject *lst, Py_ssize_t n, double *out)
{
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *o = PyList_GET_ITEM(lst, k);
        if (!PyFloat_CheckExact(o))
            return 1;
        out[k] = PyFloat_AS_DOUBLE(o);
    }
    return 0;
}

/* a new tuple of n references stolen from items (each may be NULL after a failed
 * allocation: then NULL, and those that were made are released) */
static PyObject *
tuple_of(PyObject **items, Py_ssize_t n)
{
    PyObject *t = NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (items[k] == NULL)
            goto fail;
    }
    t = PyTuple_New(n);
    if (t == NULL)
        goto fail;
    for (Py_ssize_t k = 0; k < n; k++)
        PyTuple_SET_ITEM(t, k, items[k]);
    return t;
fail:
    for (Py_ssize_t k = 0; k < n; k++)
        Py_XDECREF(items[k]);
    return NULL;
}

/* Untrack a tuple none of whose items can be in a reference cycle (objects the cyclic
 * collector does not handle, or tuples it no longer tracks), as the collector itself
 * untracks such a tuple the first time it meets one (_PyTuple_MaybeUntrack, with the
 * same test per item): a tuple of numbers and strings that a memo keeps (an alignment's
 * matches and pairs) then costs the collection after a batch (engine._collector_paused)
 * nothing. A tuple's items never change, so it can never join a cycle. */
static void
untrack_atomic(PyObject *t)
{
    Py_ssize_t n = PyTuple_GET_SIZE(t);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *x = PyTuple_GET_ITEM(t, k);
        if (PyObject_IS_GC(x) && (!PyTuple_CheckExact(x) || PyObject_GC_IsTracked(x)))
            return;
    }
    if (PyObject_GC_IsTracked(t))
        PyObject_GC_UnTrack(t);
}

/* tokens a side up to which align_core works in stack buffers */
#define AC_SMALL 12
/* frees a buffer align_core_impl took from the heap (not one of its stack buffers) */
#define AC_FREE(p)                                                                         \
    do {                                                                                   \
        if (!small)                                                                        \
            PyMem_Free(p);                                                                 \
    } while (0)

/* align_core's work: the result tuple, None when the Python code must run, NULL on an
 * error */
static PyObject *
align_core_impl(PyObject *q, PyObject *qw, PyObject *c, PyObject *cw, PyObject *cf,
                PyObject *strict, PyObject *rows, PyObject *sim)
{
    if (!PyTuple_CheckExact(q) || !PyList_CheckExact(qw) || !PyTuple_CheckExact(c) ||
        !PyList_CheckExact(cw) || !PyList_CheckExact(cf) || !PyBool_Check(strict) ||
        (rows != Py_None && !PyList_CheckExact(rows)))
        Py_RETURN_NONE;
    Py_ssize_t nq = PyTuple_GET_SIZE(q), nc = PyTuple_GET_SIZE(c);
    if (PyList_GET_SIZE(qw) != nq || PyList_GET_SIZE(cw) != nc || PyList_GET_SIZE(cf) != nc ||
        (rows != Py_None && PyList_GET_SIZE(rows) != nq))
        Py_RETURN_NONE;

    PyObject *result = NULL, *order = NULL;
    Py_ssize_t ncand_max = nq * nc;
    /* names of up to AC_SMALL tokens a side (nearly all) work in stack buffers */
    Cand cand_s[AC_SMALL * AC_SMALL];
    double qwv_s[AC_SMALL], cwv_s[AC_SMALL], terms_s[AC_SMALL + 1];
    char q_done_s[AC_SMALL], c_used_s[AC_SMALL];
    Py_ssize_t ord_i_s[AC_SMALL + 1], ord_j_s[AC_SMALL + 1], ord_k_s[AC_SMALL + 1];
    int small = nq <= AC_SMALL && nc <= AC_SMALL;
    Cand *cand;
    double *qwv, *cwv, *terms;
    char *q_done, *c_used;
    Py_ssize_t *ord_i, *ord_j, *ord_k;
    if (small) {
        cand = cand_s;
        qwv = qwv_s;
        cwv = cwv_s;
        terms = terms_s;
        q_done = q_done_s;
        c_used = c_used_s;
        memset(q_done, 0, AC_SMALL);
        memset(c_used, 0, AC_SMALL);
        ord_i = ord_i_s;
        ord_j = ord_j_s;
        ord_k = ord_k_s;
    }
    else {
        cand = PyMem_Malloc(sizeof(Cand) * (ncand_max ? ncand_max : 1));
        qwv = PyMem_Malloc(sizeof(double) * (nq ? nq : 1));
        cwv = PyMem_Malloc(sizeof(double) * (nc ? nc : 1));
        terms = PyMem_Malloc(sizeof(double) * ((nq > nc ? nq : nc) + 1));
        q_done = PyMem_Calloc(nq ? nq : 1, 1);
        c_used = PyMem_Calloc(nc ? nc : 1, 1);
        ord_i = PyMem_Malloc(sizeof(Py_ssize_t) * ((nq < nc ? nq : nc) + 1));
        ord_j = PyMem_Malloc(sizeof(Py_ssize_t) * ((nq < nc ? nq : nc) + 1));
        ord_k = PyMem_Malloc(sizeof(Py_ssize_t) * ((nq < nc ? nq : nc) + 1));
    }
    Py_ssize_t ncand = 0, nord = 0;
    int owned = (rows == Py_None); /* similarities computed here are owned references */
    if (!cand || !qwv || !cwv || !terms || !q_done || !c_used || !ord_i || !ord_j || !ord_k) {
        PyErr_NoMemory();
        goto done;
    }
    if (float_list(qw, nq, qwv) || float_list(cw, nc, cwv))
        goto fallback;

    /* every (query token, list token) pair with a similarity above 0, in (i, j) order */
    for (Py_ssize_t i = 0; i < nq; i++) {
        PyObject *a = PyTuple_GET_ITEM(q, i);
        PyObject *row = NULL;
        if (!owned) {
            row = PyList_GET_ITEM(rows, i);
            if (!PyDict_CheckExact(row))
                goto fallback;
        }
        for (Py_ssize_t j = 0; j < nc; j++) {
            PyObject *b = PyTuple_GET_ITEM(c, j);
            PyObject *s;
            if (owned) {
                PyObject *cargs[3] = {a, b, strict};
                s = PyObject_Vectorcall(sim, cargs, 3, NULL);
                if (s == NULL)
                    goto done;
            }
            else {
                s = PyDict_GetItemWithError(row, b);
                if (s == NULL) {
                    if (PyErr_Occurred())
                        goto done;
                    PyObject *cargs[3] = {a, b, strict};
                    s = PyObject_Vectorcall(sim, cargs, 3, NULL);
                    if (s == NULL)
                        goto done;
                    int bad = PyDict_SetItem(row, b, s);
                    Py_DECREF(s); /* the row holds it */
                    if (bad)
                        goto done;
                }
            }
            if (!PyFloat_CheckExact(s)) {
                if (owned)
                    Py_DECREF(s);
                goto fallback;
            }
            double v = PyFloat_AS_DOUBLE(s);
            if (v > 0.0) {
                cand[ncand].s = v;
                cand[ncand].i = i;
                cand[ncand].j = j;
                cand[ncand].seq = ncand;
                cand[ncand].obj = s;
                ncand++;
            }
            else if (owned) {
                Py_DECREF(s);
            }
        }
    }
    /* by similarity, best first; equal similarities in (i, j) order (a stable sort) */
    qsort(cand, ncand, sizeof(Cand), cand_cmp);
    Py_ssize_t most = nq < nc ? nq : nc;
    for (Py_ssize_t k = 0; k < ncand; k++) {
        Cand *x = &cand[k];
        if (q_done[x->i] || c_used[x->j])
            continue;
        q_done[x->i] = 1;
        c_used[x->j] = 1;
        ord_i[nord] = x->i;
        ord_j[nord] = x->j;
        ord_k[nord] = k;
        nord++;
        if (nord == most)
            break;
    }
    /* a list name that spells one token twice has its alternate covered by the matched
     * spelling; unmatched tokens' weights scaled by their factors */
    Py_ssize_t nalt = 0;
    double *alt_terms = NULL;
    double alt_terms_s[AC_SMALL + 1], alt_s_s[AC_SMALL + 1];
    Py_ssize_t alt_j_s[AC_SMALL + 1];
    if (nord < nc) {
        alt_terms = small ? alt_terms_s : PyMem_Malloc(sizeof(double) * (nc + 1));
        if (alt_terms == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        Py_ssize_t *alt_j = small ? alt_j_s : PyMem_Malloc(sizeof(Py_ssize_t) * (nc + 1));
        double *alt_s = small ? alt_s_s : PyMem_Malloc(sizeof(double) * (nc + 1));
        if (alt_j == NULL || alt_s == NULL) {
            AC_FREE(alt_terms);
            AC_FREE(alt_j);
            AC_FREE(alt_s);
            PyErr_NoMemory();
            goto done;
        }
        int err = 0;
        for (Py_ssize_t j = 0; j < nc && !err; j++) {
            if (c_used[j])
                continue;
            PyObject *b = PyTuple_GET_ITEM(c, j);
            for (Py_ssize_t m = 0; m < nord; m++) {
                PyObject *cargs[2] = {b, PyTuple_GET_ITEM(c, ord_j[m])};
                PyObject *s = PyObject_Vectorcall(sim, cargs, 2, NULL);
                if (s == NULL) {
                    err = 1;
                    break;
                }
                int gt;
                if (PyFloat_CheckExact(s)) {
                    gt = PyFloat_AS_DOUBLE(s) > 0.0;
                }
                else {
                    PyObject *zero = PyFloat_FromDouble(0.0);
                    gt = zero ? PyObject_RichCompareBool(s, zero, Py_GT) : -1;
                    Py_XDECREF(zero);
                }
                Py_DECREF(s);
                if (gt < 0) {
                    err = 1;
                    break;
                }
                if (gt) {
                    alt_j[nalt] = j;
                    alt_s[nalt] = cand[ord_k[m]].s;
                    nalt++;
                    break;
                }
            }
        }
        if (!err) {
            for (Py_ssize_t j = 0; j < nc; j++) {
                if (c_used[j])
                    continue;
                PyObject *f = PyList_GET_ITEM(cf, j);
                if (f == Py_None)
                    continue;
                if (!PyFloat_CheckExact(f)) {
                    err = 2;
                    break;
                }
                cwv[j] = cwv[j] * PyFloat_AS_DOUBLE(f);
            }
        }
        if (!err) {
            for (Py_ssize_t a = 0; a < nalt; a++)
                alt_terms[a] = cwv[alt_j[a]] * alt_s[a];
        }
        AC_FREE(alt_j);
        AC_FREE(alt_s);
        if (err) {
            AC_FREE(alt_terms);
            if (err == 2)
                goto fallback;
            goto done;
        }
    }
    {
        double q_num, c_num, c_alt = 0.0, q_tot, c_tot;
        int bad = 0;
        for (Py_ssize_t m = 0; m < nord; m++)
            terms[m] = qwv[ord_i[m]] * cand[ord_k[m]].s;
        bad |= float_sum(terms, nord, &q_num);
        for (Py_ssize_t m = 0; m < nord; m++)
            terms[m] = cwv[ord_j[m]] * cand[ord_k[m]].s;
        bad |= float_sum(terms, nord, &c_num);
        if (alt_terms != NULL) {
            bad |= float_sum(alt_terms, nalt, &c_alt);
            AC_FREE(alt_terms);
            c_num = c_num + c_alt;
        }
        bad |= float_sum(qwv, nq, &q_tot);
        bad |= float_sum(cwv, nc, &c_tot);
        if (bad)
            goto done;
        double q_cov = q_tot != 0.0 ? q_num / q_tot : 0.0;
        double c_cov = c_tot != 0.0 ? c_num / c_tot : 0.0;
        /* min() and max() of two floats: the first argument on ties */
        double lo = c_cov < q_cov ? c_cov : q_cov;
        double hi = c_cov > q_cov ? c_cov : q_cov;
        double score = 0.75 * lo + 0.25 * hi;
        order = PyList_New(nord);
        if (order == NULL)
            goto done;
        for (Py_ssize_t m = 0; m < nord; m++) {
            /* Py_BuildValue("(nnO)", ...) without parsing a format */
            PyObject *items[3] = {PyLong_FromSsize_t(ord_i[m]), PyLong_FromSsize_t(ord_j[m]),
                                  Py_NewRef(cand[ord_k[m]].obj)};
            PyObject *t = tuple_of(items, 3);
            if (t == NULL)
                goto done;
            untrack_atomic(t);
            PyList_SET_ITEM(order, m, t);
        }
        PyObject *items[4] = {PyFloat_FromDouble(score), PyFloat_FromDouble(q_cov),
                              PyFloat_FromDouble(c_cov), Py_NewRef(order)};
        result = tuple_of(items, 4);
        goto done;
    }
fallback:
    result = Py_NewRef(Py_None);
done:
    if (owned && cand != NULL) {
        for (Py_ssize_t k = 0; k < ncand; k++)
            Py_DECREF(cand[k].obj);
    }
    Py_XDECREF(order);
    if (!small) {
        PyMem_Free(cand);
        PyMem_Free(qwv);
        PyMem_Free(cwv);
        PyMem_Free(terms);
        PyMem_Free(q_done);
        PyMem_Free(c_used);
        PyMem_Free(ord_i);
        PyMem_Free(ord_j);
        PyMem_Free(ord_k);
    }
    return result;
}

static PyObject *
kernel_align_core(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 8) {
        PyErr_SetString(PyExc_TypeError, "align_core takes 8 arguments");
        return NULL;
    }
    return align_core_impl(args[0], args[1], args[2], args[3], args[4], args[5], args[6],
                           args[7]);
}

/* ------------------------------------------------------------------ compact_joined */

/* strings up to this long are compared here (a row of the LCS table on the stack); a
 * longer one goes to the Python code */
#define CJ_MAX 512

/* features.compact_joined(a, b, strict) for two str of at least ``compact_min`` code
 * points each, not strict: 0.0 when their first two code points differ, else rapidfuzz's
 * Indel.normalized_similarity (1 - (la + lb - 2 LCS) / (la + lb), divided as rapidfuzz
 * divides it), 0.0 below 0.9. Returns 0 with *out set, 1 when a string is too long. */
static int
compact_fuzzy(PyObject *a, PyObject *b, double *out)
{
    Py_ssize_t la = PyUnicode_GET_LENGTH(a), lb = PyUnicode_GET_LENGTH(b);
    if (la > CJ_MAX || lb > CJ_MAX)
        return 1;
    int ka = PyUnicode_KIND(a), kb = PyUnicode_KIND(b);
    const void *da = PyUnicode_DATA(a), *db = PyUnicode_DATA(b);
    /* a[:2] != b[:2] (both at least compact_min >= 2 long) */
    if (PyUnicode_READ(ka, da, 0) != PyUnicode_READ(kb, db, 0) ||
        PyUnicode_READ(ka, da, 1) != PyUnicode_READ(kb, db, 1)) {
        *out = 0.0;
        return 0;
    }
    double maximum = (double)(la + lb);
    /* the distance is at least the difference of the lengths: when even that is below
     * 0.9, so is the similarity (both divisions round alike, monotonically) */
    Py_ssize_t diff = la > lb ? la - lb : lb - la;
    if (1.0 - (double)diff / maximum < 0.9) {
        *out = 0.0;
        return 0;
    }
    /* the longest common subsequence, one row at a time */
    Py_ssize_t row[CJ_MAX + 1];
    for (Py_ssize_t j = 0; j <= lb; j++)
        row[j] = 0;
    for (Py_ssize_t i = 1; i <= la; i++) {
        Py_UCS4 ca = PyUnicode_READ(ka, da, i - 1);
        Py_ssize_t diag = 0; /* row[j - 1] of the previous row */
        for (Py_ssize_t j = 1; j <= lb; j++) {
            Py_ssize_t up = row[j];
            Py_ssize_t v;
            if (ca == PyUnicode_READ(kb, db, j - 1))
                v = diag + 1;
            else
                v = up > row[j - 1] ? up : row[j - 1];
            diag = up;
            row[j] = v;
        }
    }
    Py_ssize_t dist = la + lb - 2 * row[lb];
    double norm_sim = 1.0 - (double)dist / maximum;
    *out = norm_sim < 0.9 ? 0.0 : norm_sim;
    return 0;
}

/* features.compact_joined(a, b, strict) (``compact_min`` = weights.COMPACT_MIN_LEN), or
 * None when the Python code must run */
static PyObject *
kernel_compact_joined(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "compact_joined takes 4 arguments");
        return NULL;
    }
    PyObject *a = args[0], *b = args[1], *strict = args[2];
    if (!PyUnicode_CheckExact(a) || !PyUnicode_CheckExact(b) || !PyBool_Check(strict) ||
        !PyLong_CheckExact(args[3]))
        Py_RETURN_NONE;
    Py_ssize_t compact_min = PyLong_AsSsize_t(args[3]);
    if (compact_min == -1 && PyErr_Occurred())
        return NULL;
    if (compact_min < 2)
        Py_RETURN_NONE;
    Py_ssize_t la = PyUnicode_GET_LENGTH(a), lb = PyUnicode_GET_LENGTH(b);
    if (strict == Py_True || la < compact_min || lb < compact_min) {
        int eq = la > 0 ? PyUnicode_Compare(a, b) : 1;
        if (eq == -1 && PyErr_Occurred())
            return NULL;
        return PyFloat_FromDouble(eq == 0 ? 1.0 : 0.0);
    }
    double v;
    if (compact_fuzzy(a, b, &v))
        Py_RETURN_NONE;
    return PyFloat_FromDouble(v);
}

/* engine._best_alignment_py without generic words on either side (so no weights to
 * recompute; ``bare_person``: the query spelling's weights against a person's name that
 * writes no patronymic, its fifth item): over every (query spelling, list spelling) pair, align_core on the query
 * spelling's row set of this strictness and the compact similarity of the joined
 * spellings (compact_joined, called only where the lengths allow a fuzzy one); the pair
 * whose better feature is highest, the first on ties. Returns (score, query coverage,
 * list coverage, matches, compact, query spelling index, list spelling index), or None
 * when the Python code must run. */
static PyObject *
kernel_best_alignment(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "best_alignment takes 7 arguments");
        return NULL;
    }
    PyObject *qdata = args[0], *variants = args[1], *strict = args[2], *bare = args[3];
    PyObject *compact_min_o = args[4], *compact = args[5], *sim = args[6];
    if (!PyList_CheckExact(qdata) || !PyTuple_CheckExact(variants) || !PyBool_Check(strict) ||
        !PyBool_Check(bare) || !PyLong_CheckExact(compact_min_o))
        Py_RETURN_NONE;
    /* the query's weights: against a person's name without patronymic, those with its
     * patronymics discounted */
    Py_ssize_t weights_at = bare == Py_True ? 4 : 2;
    Py_ssize_t compact_min = PyLong_AsSsize_t(compact_min_o);
    if (compact_min == -1 && PyErr_Occurred())
        return NULL;
    int is_strict = strict == Py_True;
    Py_ssize_t nqv = PyList_GET_SIZE(qdata), ncv = PyTuple_GET_SIZE(variants);
    for (Py_ssize_t a = 0; a < nqv; a++) {
        PyObject *d = PyList_GET_ITEM(qdata, a);
        if (!PyTuple_CheckExact(d) || PyTuple_GET_SIZE(d) != 5 ||
            !PyUnicode_CheckExact(PyTuple_GET_ITEM(d, 1)) ||
            !PyTuple_CheckExact(PyTuple_GET_ITEM(d, 3)) ||
            PyTuple_GET_SIZE(PyTuple_GET_ITEM(d, 3)) != 2)
            Py_RETURN_NONE;
    }
    for (Py_ssize_t b = 0; b < ncv; b++) {
        PyObject *v = PyTuple_GET_ITEM(variants, b);
        if (!PyTuple_CheckExact(v) || PyTuple_GET_SIZE(v) != 4 ||
            !PyUnicode_CheckExact(PyTuple_GET_ITEM(v, 1)))
            Py_RETURN_NONE;
    }
    double best_m = -1.0;
    PyObject *best = NULL, *best_c = NULL; /* align_core's tuple and the compact float */
    Py_ssize_t best_a = -1, best_b = -1;
    for (Py_ssize_t a = 0; a < nqv; a++) {
        PyObject *d = PyList_GET_ITEM(qdata, a);
        PyObject *qv = PyTuple_GET_ITEM(d, 0), *qj = PyTuple_GET_ITEM(d, 1);
        PyObject *qw = PyTuple_GET_ITEM(d, weights_at);
        PyObject *rows = PyTuple_GET_ITEM(PyTuple_GET_ITEM(d, 3), is_strict);
        Py_ssize_t lqj = PyUnicode_GET_LENGTH(qj);
        for (Py_ssize_t b = 0; b < ncv; b++) {
            PyObject *v = PyTuple_GET_ITEM(variants, b);
            PyObject *cj = PyTuple_GET_ITEM(v, 1);
            PyObject *got = align_core_impl(qv, qw, PyTuple_GET_ITEM(v, 0),
                                            PyTuple_GET_ITEM(v, 2), PyTuple_GET_ITEM(v, 3),
                                            strict, rows, sim);
            if (got == NULL || got == Py_None) {
                Py_XDECREF(best);
                Py_XDECREF(best_c);
                return got;
            }
            double sc = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(got, 0));
            PyObject *co;
            if (is_strict || lqj < compact_min || PyUnicode_GET_LENGTH(cj) < compact_min) {
                /* = compact_joined: equal (and not empty) or nothing */
                int eq = lqj > 0 ? PyUnicode_Compare(qj, cj) : 1;
                if (eq == -1 && PyErr_Occurred()) {
                    Py_DECREF(got);
                    Py_XDECREF(best);
                    Py_XDECREF(best_c);
                    return NULL;
                }
                co = PyFloat_FromDouble(eq == 0 ? 1.0 : 0.0);
            }
            else {
                double v;
                if (compact_min >= 2 && !compact_fuzzy(qj, cj, &v)) {
                    co = PyFloat_FromDouble(v);
                }
                else {
                    PyObject *cargs[3] = {qj, cj, strict};
                    co = PyObject_Vectorcall(compact, cargs, 3, NULL);
                }
            }
            if (co == NULL || !PyFloat_CheckExact(co)) {
                Py_DECREF(got);
                Py_XDECREF(best);
                Py_XDECREF(best_c);
                if (co == NULL)
                    return NULL;
                Py_DECREF(co);
                Py_RETURN_NONE;
            }
            double cv = PyFloat_AS_DOUBLE(co);
            double m = sc >= cv ? sc : cv;
            if (m > best_m) {
                best_m = m;
                Py_XDECREF(best);
                Py_XDECREF(best_c);
                best = got;
                best_c = co;
                best_a = a;
                best_b = b;
            }
            else {
                Py_DECREF(got);
                Py_DECREF(co);
            }
        }
    }
    if (best == NULL) /* no spelling on one side: the Python code says so */
        Py_RETURN_NONE;
    PyObject *items[7] = {Py_NewRef(PyTuple_GET_ITEM(best, 0)),
                          Py_NewRef(PyTuple_GET_ITEM(best, 1)),
                          Py_NewRef(PyTuple_GET_ITEM(best, 2)),
                          Py_NewRef(PyTuple_GET_ITEM(best, 3)),
                          Py_NewRef(best_c),
                          PyLong_FromSsize_t(best_a),
                          PyLong_FromSsize_t(best_b)};
    PyObject *res = tuple_of(items, 7);
    Py_DECREF(best);
    Py_DECREF(best_c);
    return res;
}

/* ------------------------------------------------------------------ retrieval */

/* a query token's typo-close token (tid, s) at position seq of its list: retrieve_variant
 * sorts them by match_cmp (ascending similarity, a stable sort) as TokenIndex._names_of */
typedef struct {
    double s;
    Py_ssize_t seq;
    PyObject *tid;
} Match;

static int
match_cmp(const void *a, const void *b)
{
    const Match *x = (const Match *)a, *y = (const Match *)b;
    if (x->s < y->s)
        return -1;
    if (x->s > y->s)
        return 1;
    return (x->seq < y->seq) ? -1 : (x->seq > y->seq);
}

/* TokenIndex._similar_tokens' walk of a deletion neighbourhood, with the same Python
 * operations in the same order (so ``found`` gets the same items in the same order):
 *
 *     for key in keys:
 *         for cand in neighbours.get(key, ()):
 *             if cand in found:
 *                 continue
 *             s = token_similarity(token, tokens[cand])
 *             if s > 0.0:
 *                 found[cand] = s
 *
 * False (and nothing done) when ``neighbours`` or ``found`` is not a dict. */
static PyObject *
kernel_walk_neighbours(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "walk_neighbours takes 6 arguments");
        return NULL;
    }
    PyObject *token = args[0], *keys = args[1], *neighbours = args[2], *tokens = args[3];
    PyObject *found = args[4], *sim = args[5];
    if (!PyDict_CheckExact(neighbours) || !PyDict_CheckExact(found))
        Py_RETURN_FALSE;
    PyObject *zero = PyFloat_FromDouble(0.0);
    if (zero == NULL)
        return NULL;
    PyObject *kit = PyObject_GetIter(keys);
    if (kit == NULL) {
        Py_DECREF(zero);
        return NULL;
    }
    PyObject *key;
    int err = 0;
    while (!err && (key = PyIter_Next(kit)) != NULL) {
        PyObject *cands = PyDict_GetItemWithError(neighbours, key); /* borrowed */
        Py_DECREF(key);
        if (cands == NULL) {
            err = PyErr_Occurred() != NULL;
            continue;
        }
        Py_INCREF(cands);
        PyObject *cit = PyObject_GetIter(cands);
        Py_DECREF(cands);
        if (cit == NULL) {
            err = 1;
            break;
        }
        PyObject *cand;
        while ((cand = PyIter_Next(cit)) != NULL) {
            int in = PyDict_Contains(found, cand);
            if (in != 0) {
                Py_DECREF(cand);
                if (in < 0) {
                    err = 1;
                    break;
                }
                continue;
            }
            PyObject *other = PyObject_GetItem(tokens, cand);
            PyObject *s = NULL;
            if (other != NULL) {
                PyObject *cargs[2] = {token, other};
                s = PyObject_Vectorcall(sim, cargs, 2, NULL);
                Py_DECREF(other);
            }
            int gt = s == NULL ? -1
                     : PyFloat_CheckExact(s) ? PyFloat_AS_DOUBLE(s) > 0.0
                                             : PyObject_RichCompareBool(s, zero, Py_GT);
            if (gt > 0 && PyDict_SetItem(found, cand, s) < 0)
                gt = -1;
            Py_XDECREF(s);
            Py_DECREF(cand);
            if (gt < 0) {
                err = 1;
                break;
            }
        }
        Py_DECREF(cit);
        if (!err && PyErr_Occurred())
            err = 1;
    }
    Py_DECREF(kit);
    Py_DECREF(zero);
    if (err || PyErr_Occurred())
        return NULL;
    Py_RETURN_TRUE;
}

/* ------------------------------------------------------------------ token_similarity */

/* The constants of features.token_similarity (match.weights), set once by features.py
 * through similarity_constants(); token_similarity returns None until they are. */
static int ts_ready = 0;
static double ts_initial, ts_first_letter, ts_phonetic, ts_translation, ts_match_min, ts_weak;
static Py_ssize_t ts_exact_only;

/* tokens longer than this are left to the Python code (no stack buffer for them) */
#define TS_MAX 64
/* the longest phonetic key compared here; a longer one is left to the Python code */
#define PH_MAX (4 * TS_MAX)

/* The OSA distance (restricted Damerau-Levenshtein: adjacent transpositions count as one
 * edit) of two code point arrays (at most PH_MAX long), as rapidfuzz computes it: the
 * common prefix and suffix are removed first, then the usual three-row recurrence. */
static Py_ssize_t
osa_distance(const Py_UCS4 *a, Py_ssize_t la, const Py_UCS4 *b, Py_ssize_t lb)
{
    while (la > 0 && lb > 0 && a[0] == b[0]) {
        a++;
        b++;
        la--;
        lb--;
    }
    while (la > 0 && lb > 0 && a[la - 1] == b[lb - 1]) {
        la--;
        lb--;
    }
    if (la == 0)
        return lb;
    if (lb == 0)
        return la;
    Py_ssize_t rows[3][PH_MAX + 1];
    Py_ssize_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (Py_ssize_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (Py_ssize_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (Py_ssize_t j = 1; j <= lb; j++) {
            Py_ssize_t cost = a[i - 1] != b[j - 1];
            Py_ssize_t d = prev[j - 1] + cost;
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
        }
        Py_ssize_t *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

/* OSA.normalized_similarity: 1 - distance / the longer length (1.0 for two empty) */
static double
osa_similarity(const Py_UCS4 *a, Py_ssize_t la, const Py_UCS4 *b, Py_ssize_t lb)
{
    Py_ssize_t m = la > lb ? la : lb;
    double norm_dist = m ? (double)osa_distance(a, la, b, lb) / (double)m : 0.0;
    return 1.0 - norm_dist;
}

/* The per-token look-ups token_sim calls back (features.phonetic, given_names.name_key,
 * glossary.concepts) remembered here, per function object: each is a pure function of
 * its token with a memo of its own (functools.lru_cache), but a call through that memo
 * costs several times a dict look-up, and a first-seen pair of tokens makes up to six.
 * A memo holds its function (so that no other function can take its address) and starts
 * afresh when another function is passed, or at KEY_MEMO_MAX tokens. Only str tokens are
 * remembered; a result is kept only when the function is still the memo's after the call
 * (a nested call may have passed another). */
typedef struct {
    PyObject *fn;
    PyObject *map; /* token -> fn(token) */
} KeyMemo;

static KeyMemo km_phonetic = {NULL, NULL}, km_name_key = {NULL, NULL},
               km_concepts = {NULL, NULL};
#define KEY_MEMO_MAX 200000

/* fn(arg), remembered in km: a new reference, NULL with an exception set */
static PyObject *
key_memo_call(KeyMemo *km, PyObject *fn, PyObject *arg)
{
    if (!PyUnicode_CheckExact(arg))
        return PyObject_CallOneArg(fn, arg);
    if (km->fn != fn || km->map == NULL) {
        PyObject *map = PyDict_New();
        if (map == NULL)
            return NULL;
        Py_XSETREF(km->map, map);
        Py_XSETREF(km->fn, Py_NewRef(fn));
    }
    PyObject *got = PyDict_GetItemWithError(km->map, arg); /* borrowed */
    if (got != NULL)
        return Py_NewRef(got);
    if (PyErr_Occurred())
        return NULL;
    PyObject *r = PyObject_CallOneArg(fn, arg);
    if (r == NULL || km->fn != fn || km->map == NULL)
        return r;
    if (PyDict_GET_SIZE(km->map) >= KEY_MEMO_MAX)
        PyDict_Clear(km->map);
    if (PyDict_SetItem(km->map, arg, r) < 0) {
        Py_DECREF(r);
        return NULL;
    }
    return r;
}

/* features.phonetic(token) (called back: the key's rules live in Python alone) as code
 * points in out (PH_MAX); its length, -2 when it is longer or not a str, -1 with an
 * exception set */
static Py_ssize_t
phonetic_key(PyObject *phonetic, const Py_UCS4 *t, Py_ssize_t n, PyObject *to, Py_UCS4 *out)
{
    PyObject *x = to ? Py_NewRef(to) : PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, t, n);
    if (x == NULL)
        return -1;
    PyObject *key = key_memo_call(&km_phonetic, phonetic, x);
    Py_DECREF(x);
    if (key == NULL)
        return -1;
    Py_ssize_t len = -2;
    if (PyUnicode_CheckExact(key) && PyUnicode_GET_LENGTH(key) <= PH_MAX) {
        len = PyUnicode_GET_LENGTH(key);
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        for (Py_ssize_t k = 0; k < len; k++)
            out[k] = PyUnicode_READ(kind, data, k);
    }
    Py_DECREF(key);
    return len;
}

static const char *surname_suffixes[] = {"chenko", "shvili", "zadeh", "enko", "oglu"};

static int
ends_with(const Py_UCS4 *t, Py_ssize_t n, const char *suf, Py_ssize_t ls)
{
    if (n < ls)
        return 0;
    for (Py_ssize_t k = 0; k < ls; k++) {
        if (t[n - ls + k] != (Py_UCS4)(unsigned char)suf[k])
            return 0;
    }
    return 1;
}

/* _shared_suffix: the length of the suffix to judge without, or 0 */
static Py_ssize_t
shared_suffix(const Py_UCS4 *a, Py_ssize_t la, const Py_UCS4 *b, Py_ssize_t lb)
{
    for (size_t k = 0; k < sizeof(surname_suffixes) / sizeof(*surname_suffixes); k++) {
        const char *suf = surname_suffixes[k];
        Py_ssize_t ls = (Py_ssize_t)strlen(suf);
        if (ends_with(a, la, suf, ls) && ends_with(b, lb, suf, ls))
            return ((la < lb ? la : lb) - ls >= 4) ? ls : 0;
    }
    return 0;
}

/* pred(a, b) for two tokens (as str: ``ao``/``bo``, or made from the arrays when NULL):
 * 1, 0, or -1 with an exception set */
static int
call_pred(PyObject *pred, const Py_UCS4 *a, Py_ssize_t la, const Py_UCS4 *b, Py_ssize_t lb,
          PyObject *ao, PyObject *bo)
{
    PyObject *x = ao ? Py_NewRef(ao) : PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, a, la);
    PyObject *y = bo ? Py_NewRef(bo) : PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b, lb);
    PyObject *r = NULL;
    if (x != NULL && y != NULL) {
        PyObject *cargs[2] = {x, y};
        r = PyObject_Vectorcall(pred, cargs, 2, NULL);
    }
    Py_XDECREF(x);
    Py_XDECREF(y);
    if (r == NULL)
        return -1;
    int truth = PyObject_IsTrue(r);
    Py_DECREF(r);
    return truth;
}

/* same_given_name(a, b) of normalize.given_names through its name_key (``keyed``):
 *     ka = name_key(a); return ka is not None and ka == name_key(b)
 * same_meaning(a, b) of normalize.glossary through its concepts:
 *     ca = concepts(a); if not ca: return False
 *     cb = concepts(b); return bool(cb) and not ca.isdisjoint(cb)
 * 1, 0, or -1 with an exception set (the tokens made as call_pred makes them) */
static int
call_keyed(int meaning, PyObject *key, const Py_UCS4 *a, Py_ssize_t la, const Py_UCS4 *b,
           Py_ssize_t lb, PyObject *ao, PyObject *bo)
{
    PyObject *x = ao ? Py_NewRef(ao) : PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, a, la);
    if (x == NULL)
        return -1;
    KeyMemo *km = meaning ? &km_concepts : &km_name_key;
    PyObject *ka = key_memo_call(km, key, x);
    Py_DECREF(x);
    if (ka == NULL)
        return -1;
    int truth = meaning ? PyObject_IsTrue(ka) : ka != Py_None;
    if (truth <= 0) {
        Py_DECREF(ka);
        return truth;
    }
    PyObject *y = bo ? Py_NewRef(bo) : PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b, lb);
    PyObject *kb = y == NULL ? NULL : key_memo_call(km, key, y);
    Py_XDECREF(y);
    if (kb == NULL) {
        Py_DECREF(ka);
        return -1;
    }
    int r;
    if (!meaning) {
        r = PyObject_RichCompareBool(ka, kb, Py_EQ);
    }
    else {
        r = PyObject_IsTrue(kb);
        if (r > 0) {
            PyObject *disjoint = PyObject_CallMethod(ka, "isdisjoint", "O", kb);
            r = disjoint == NULL ? -1 : !PyObject_IsTrue(disjoint);
            if (disjoint != NULL && r == 1 && PyErr_Occurred())
                r = -1;
            Py_XDECREF(disjoint);
        }
    }
    Py_DECREF(ka);
    Py_DECREF(kb);
    return r;
}

/* features.token_similarity of two non-empty code point arrays (both at most TS_MAX
 * long). ``same`` is normalize.given_names.same_given_name and ``meaning``
 * normalize.glossary.same_meaning, called with ``ao``/``bo`` (the tokens as str; made
 * from the arrays when NULL). Returns 0 and sets *out, 1 when the Python code must run,
 * or -1 with an exception set. */
static int
token_sim(const Py_UCS4 *a, Py_ssize_t la, const Py_UCS4 *b, Py_ssize_t lb, int strict,
          PyObject *same, PyObject *meaning, PyObject *phonetic, PyObject *ao, PyObject *bo,
          int keyed, double *out)
{
    if (la == lb && memcmp(a, b, sizeof(Py_UCS4) * la) == 0) {
        *out = 1.0;
        return 0;
    }
    if (strict) {
        *out = 0.0;
        return 0;
    }
    if (la == 1 || lb == 1) {
        *out = (a[0] == b[0]) ? ts_initial : 0.0;
        return 0;
    }
    if (la <= ts_exact_only || lb <= ts_exact_only) {
        *out = 0.0;
        return 0;
    }
    double s = osa_similarity(a, la, b, lb);
    if (a[0] != b[0])
        s -= ts_first_letter;
    if (s < 0.95) {
        Py_UCS4 pa[PH_MAX], pb[PH_MAX];
        Py_ssize_t lpa = phonetic_key(phonetic, a, la, ao, pa);
        if (lpa == -1)
            return -1;
        Py_ssize_t lpb = lpa < 0 ? -2 : phonetic_key(phonetic, b, lb, bo, pb);
        if (lpb == -1)
            return -1;
        if (lpa < 0 || lpb < 0)
            return 1;
        int same_key = lpa == lpb && memcmp(pa, pb, sizeof(Py_UCS4) * lpa) == 0;
        if (!same_key) {
            same_key = keyed ? call_keyed(0, same, a, la, b, lb, ao, bo)
                             : call_pred(same, a, la, b, lb, ao, bo);
            if (same_key < 0)
                return -1;
        }
        if (same_key) {
            s = s >= ts_phonetic ? s : ts_phonetic; /* max(s, PHONETIC_SIMILARITY) */
        }
        else {
            double p = osa_similarity(pa, lpa, pb, lpb) * ts_phonetic;
            s = s >= p ? s : p;
        }
    }
    /* normalize.glossary.concepts: a token under 4 letters (_CONCEPT_MIN_LEN) means
     * nothing to compare, so same_meaning is False without the call (la, lb are bytes,
     * never fewer than the letters) */
    if (s < ts_translation && la >= 4 && lb >= 4) {
        int one_word = keyed ? call_keyed(1, meaning, a, la, b, lb, ao, bo)
                             : call_pred(meaning, a, la, b, lb, ao, bo);
        if (one_word < 0)
            return -1;
        if (one_word) {
            *out = ts_translation;
            return 0;
        }
    }
    if (s < ts_match_min) {
        *out = 0.0;
        return 0;
    }
    if (s < ts_weak) {
        s -= (ts_weak - s) * 1.5;
        Py_ssize_t ls = shared_suffix(a, la, b, lb);
        if (ls) {
            double rest;
            int got = token_sim(a, la - ls, b, lb - ls, 0, same, meaning, phonetic, NULL, NULL,
                                keyed, &rest);
            if (got != 0)
                return got;
            s = rest < s ? rest : s; /* min(s, rest) */
        }
    }
    *out = s;
    return 0;
}

/* a str's code points in buf (at most TS_MAX); -1 when it is longer or not a str */
static Py_ssize_t
code_points(PyObject *o, Py_UCS4 *buf)
{
    if (!PyUnicode_CheckExact(o))
        return -1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(o);
    if (n > TS_MAX)
        return -1;
    int kind = PyUnicode_KIND(o);
    const void *data = PyUnicode_DATA(o);
    for (Py_ssize_t k = 0; k < n; k++)
        buf[k] = PyUnicode_READ(kind, data, k);
    return n;
}

static PyObject *
similarity_impl(PyObject *const *args, Py_ssize_t nargs, int keyed)
{
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "token_similarity takes 6 arguments");
        return NULL;
    }
    Py_UCS4 a[TS_MAX], b[TS_MAX];
    if (!ts_ready || !PyBool_Check(args[2]))
        Py_RETURN_NONE;
    Py_ssize_t la = code_points(args[0], a), lb = code_points(args[1], b);
    if (la <= 0 || lb <= 0) /* not a str, too long, or empty (a[0] of the Python code) */
        Py_RETURN_NONE;
    double s;
    int got = token_sim(a, la, b, lb, args[2] == Py_True, args[3], args[4], args[5], args[0],
                        args[1], keyed, &s);
    if (got < 0)
        return NULL;
    if (got > 0)
        Py_RETURN_NONE;
    return PyFloat_FromDouble(s);
}

static PyObject *
kernel_token_similarity(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return similarity_impl(args, nargs, 0);
}

/* token_similarity with the lookups behind its two predicates instead (name_key for
 * same_given_name, concepts for same_meaning: call_keyed), saving a Python call each */
static PyObject *
kernel_similarity(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return similarity_impl(args, nargs, 1);
}

static PyObject *
kernel_similarity_constants(PyObject *self, PyObject *args)
{
    double initial, first_letter, phon, translation, match_min, weak;
    Py_ssize_t exact_only;
    if (!PyArg_ParseTuple(args, "dnddddd", &initial, &exact_only, &first_letter, &phon,
                          &translation, &match_min, &weak))
        return NULL;
    ts_initial = initial;
    ts_exact_only = exact_only;
    ts_first_letter = first_letter;
    ts_phonetic = phon;
    ts_translation = translation;
    ts_match_min = match_min;
    ts_weak = weak;
    ts_ready = 1;
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------ retrieve_variant */

/* TokenIndex.retrieve's work for one query spelling, fused: its Python code's
 * TokenIndex._accumulate, _credit_common (when ``common`` is not empty), the compact names
 * raised to 1.0 and _keep_best, on dense arrays indexed by name id instead of the
 * intermediate dicts, with the same arithmetic in the same order (so ``best`` gets the
 * same items, values and order):
 *
 *     acc = index._accumulate(per_token, followable, weights, total)  # over postings
 *     if common:
 *         _credit_common(acc, headroom, floor, common)
 *     for nid in compact:
 *         acc[nid] = max(acc.get(nid, 0.0), 1.0)
 *     _keep_best(acc, best, floor)
 *
 * False (and nothing done) when an argument is not of the plain types expected or the
 * arrays are in use (a re-entrant call). */
typedef struct {
    Py_ssize_t nid;
    PyObject *obj; /* the name id as an object (borrowed from postings or compact) */
} Touched;

static double *rv_acc = NULL, *rv_tok = NULL;
static char *rv_in_acc = NULL, *rv_in_tok = NULL;
static Py_ssize_t rv_cap = 0;
static int rv_busy = 0;

static int
rv_grow(Py_ssize_t need)
{
    if (need < rv_cap)
        return 0;
    Py_ssize_t cap = rv_cap * 2 > need + 1 ? rv_cap * 2 : need + 1;
    double *acc = PyMem_Realloc(rv_acc, sizeof(double) * cap);
    if (acc != NULL)
        rv_acc = acc;
    double *tok = PyMem_Realloc(rv_tok, sizeof(double) * cap);
    if (tok != NULL)
        rv_tok = tok;
    char *in_acc = PyMem_Realloc(rv_in_acc, cap);
    if (in_acc != NULL)
        rv_in_acc = in_acc;
    char *in_tok = PyMem_Realloc(rv_in_tok, cap);
    if (in_tok != NULL)
        rv_in_tok = in_tok;
    if (acc == NULL || tok == NULL || in_acc == NULL || in_tok == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memset(rv_in_acc + rv_cap, 0, cap - rv_cap);
    memset(rv_in_tok + rv_cap, 0, cap - rv_cap);
    rv_cap = cap;
    return 0;
}

typedef struct {
    Touched *items;
    Py_ssize_t n, cap;
} TouchedList;

static int
touched_push(TouchedList *l, Py_ssize_t nid, PyObject *obj)
{
    if (l->n == l->cap) {
        Py_ssize_t cap = l->cap ? l->cap * 2 : 256;
        Touched *items = PyMem_Realloc(l->items, sizeof(Touched) * cap);
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n].nid = nid;
    l->items[l->n].obj = obj;
    l->n++;
    return 0;
}

/* a name id of a posting list: its value, -1 when it is not a non-negative exact int
 * (no error set) or -2 on an error */
static Py_ssize_t
name_id(PyObject *o)
{
    if (!PyLong_CheckExact(o))
        return -1;
    Py_ssize_t v = PyLong_AsSsize_t(o);
    if (v == -1 && PyErr_Occurred()) {
        PyErr_Clear(); /* too large for an index: the Python code handles it */
        return -1;
    }
    return v < 0 ? -1 : v;
}

static int
rv_check(PyObject *per_token, PyObject *followable, PyObject *weights, PyObject *postings,
         PyObject *common, PyObject *compact, PyObject *best)
{
    Py_ssize_t n = PyList_GET_SIZE(per_token);
    if (PyList_GET_SIZE(followable) != n || PyList_GET_SIZE(weights) != n)
        return 1;
    Py_ssize_t np = PyList_GET_SIZE(postings);
    for (Py_ssize_t t = 0; t < n; t++) {
        PyObject *f = PyList_GET_ITEM(followable, t);
        if (!PyBool_Check(f))
            return 1;
        if (f == Py_False)
            continue;
        if (!PyFloat_CheckExact(PyList_GET_ITEM(weights, t)))
            return 1;
        PyObject *matches = PyList_GET_ITEM(per_token, t);
        if (!PyList_CheckExact(matches))
            return 1;
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(matches); k++) {
            PyObject *m = PyList_GET_ITEM(matches, k);
            if (!PyTuple_CheckExact(m) || PyTuple_GET_SIZE(m) != 2 ||
                !PyFloat_CheckExact(PyTuple_GET_ITEM(m, 1)))
                return 1;
            Py_ssize_t tid = name_id(PyTuple_GET_ITEM(m, 0));
            if (tid < 0 || tid >= np || !PyList_CheckExact(PyList_GET_ITEM(postings, tid)))
                return 1;
        }
    }
    for (Py_ssize_t t = 0; t < PyList_GET_SIZE(common); t++) {
        PyObject *tok = PyList_GET_ITEM(common, t);
        if (!PyTuple_CheckExact(tok) || PyTuple_GET_SIZE(tok) != 2 ||
            !PyFloat_CheckExact(PyTuple_GET_ITEM(tok, 0)) ||
            !PyList_CheckExact(PyTuple_GET_ITEM(tok, 1)))
            return 1;
        PyObject *sets = PyTuple_GET_ITEM(tok, 1);
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(sets); k++) {
            PyObject *pair = PyList_GET_ITEM(sets, k);
            if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2 ||
                !PyFrozenSet_CheckExact(PyTuple_GET_ITEM(pair, 0)) ||
                !PyFloat_CheckExact(PyTuple_GET_ITEM(pair, 1)))
                return 1;
        }
    }
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(compact); k++) {
        if (name_id(PySequence_Fast_GET_ITEM(compact, k)) < 0)
            return 1;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *val;
    while (PyDict_Next(best, &pos, &key, &val)) {
        if (!PyFloat_CheckExact(val))
            return 1;
    }
    return 0;
}

/* Posting sets of common tokens (frozensets of name ids) in plain C arrays, for the
 * membership tests of _credit_common: a set is tested once per name that can still reach
 * the floor, query after query, and a bit of a bitmap (sets of BM_MIN ids or more, while
 * they take at most BM_BYTES) or a sorted array of ids (binary search) is found faster
 * than an int in a hash table. Keyed by the set object, which the cache keeps alive (so
 * its address is never another set's); at most BM_SLOTS / 2 sets, each of name ids only
 * (exact non-negative ints below BM_MAX_ID): any other set is tested with PySet_Contains.
 * The cache lives as long as the process. */
#define BM_MIN 32
#define BM_BYTES (32 << 20)
#define BM_SLOTS 16384 /* a power of two: the table is probed linearly */
#define BM_MAX_ID (1 << 30)
typedef struct {
    PyObject *set;  /* NULL: a free slot */
    uint64_t *bits; /* the bitmap, or NULL */
    Py_ssize_t nbits;
    int32_t *ids; /* else the ids in ascending order, or NULL: tested as a set */
    Py_ssize_t nids;
} Bitmap;
static Bitmap bm_table[BM_SLOTS];
static Py_ssize_t bm_used = 0, bm_bytes = 0;

static int
id_cmp(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* a set's entry of the cache, or NULL when it is tested as a set (no error set) */
static const Bitmap *
bm_get(PyObject *set)
{
    size_t h = ((size_t)set >> 4) & (BM_SLOTS - 1);
    for (;;) {
        Bitmap *b = &bm_table[h];
        if (b->set == set)
            return b->bits != NULL || b->ids != NULL ? b : NULL;
        if (b->set == NULL)
            break;
        h = (h + 1) & (BM_SLOTS - 1);
    }
    if (bm_used >= BM_SLOTS / 2) /* full enough: the rest are tested as sets */
        return NULL;
    Bitmap *b = &bm_table[h];
    Py_ssize_t top = -1, pos = 0, n = PySet_GET_SIZE(set);
    PyObject *key;
    Py_hash_t hash;
    while (_PySet_NextEntry(set, &pos, &key, &hash)) {
        Py_ssize_t v = name_id(key);
        if (v < 0 || v >= BM_MAX_ID) {
            top = -2;
            break;
        }
        if (v > top)
            top = v;
    }
    b->set = Py_NewRef(set);
    b->bits = NULL;
    b->nbits = 0;
    b->ids = NULL;
    b->nids = 0;
    bm_used++;
    if (top < 0) /* empty, or not all name ids: tested as a set */
        return NULL;
    Py_ssize_t words = top / 64 + 1;
    if (n >= BM_MIN && bm_bytes + words * (Py_ssize_t)sizeof(uint64_t) <= BM_BYTES) {
        uint64_t *bits = PyMem_Calloc(words, sizeof(uint64_t));
        if (bits == NULL)
            return NULL; /* tested as a set */
        pos = 0;
        while (_PySet_NextEntry(set, &pos, &key, &hash)) {
            Py_ssize_t v = name_id(key);
            bits[v >> 6] |= (uint64_t)1 << (v & 63);
        }
        b->bits = bits;
        b->nbits = words * 64;
        bm_bytes += words * (Py_ssize_t)sizeof(uint64_t);
        return b;
    }
    int32_t *ids = PyMem_Malloc(sizeof(int32_t) * n);
    if (ids == NULL)
        return NULL;
    Py_ssize_t k = 0;
    pos = 0;
    while (_PySet_NextEntry(set, &pos, &key, &hash))
        ids[k++] = (int32_t)name_id(key);
    qsort(ids, k, sizeof(int32_t), id_cmp);
    b->ids = ids;
    b->nids = k;
    return b;
}

/* whether name id v is in a cached set */
static int
bm_has(const Bitmap *b, Py_ssize_t v)
{
    if (b->bits != NULL)
        return v < b->nbits && (b->bits[v >> 6] >> (v & 63)) & 1;
    Py_ssize_t lo = 0, hi = b->nids;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (b->ids[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->nids && b->ids[lo] == v;
}

static int
rv_run(PyObject *per_token, PyObject *followable, PyObject *weights, double total,
       PyObject *postings, PyObject *common, double headroom, double floor,
       PyObject *compact, PyObject *best, TouchedList *acc, TouchedList *tok)
{
    Py_ssize_t n = PyList_GET_SIZE(per_token);
    Match *ms = NULL;
    Py_ssize_t ms_cap = 0;
    int err = -1;
    for (Py_ssize_t t = 0; t < n; t++) {
        if (PyList_GET_ITEM(followable, t) == Py_False)
            continue;
        double w = PyFloat_AS_DOUBLE(PyList_GET_ITEM(weights, t)) / total;
        /* TokenIndex._names_of: the token's names, each at its best similarity (written in
         * ascending order of similarity, a stable sort: the dict's order) */
        PyObject *matches = PyList_GET_ITEM(per_token, t);
        Py_ssize_t nm = PyList_GET_SIZE(matches);
        if (nm > ms_cap) {
            Match *grown = PyMem_Realloc(ms, sizeof(Match) * nm);
            if (grown == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            ms = grown;
            ms_cap = nm;
        }
        for (Py_ssize_t k = 0; k < nm; k++) {
            PyObject *m = PyList_GET_ITEM(matches, k);
            ms[k].tid = PyTuple_GET_ITEM(m, 0);
            ms[k].s = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(m, 1));
            ms[k].seq = k;
        }
        if (nm > 1)
            qsort(ms, nm, sizeof(Match), match_cmp);
        tok->n = 0;
        for (Py_ssize_t k = 0; k < nm; k++) {
            double s = ms[k].s;
            if (!(s > 0.0))
                continue;
            PyObject *post = PyList_GET_ITEM(postings, name_id(ms[k].tid));
            for (Py_ssize_t p = 0; p < PyList_GET_SIZE(post); p++) {
                PyObject *o = PyList_GET_ITEM(post, p);
                Py_ssize_t nid = name_id(o);
                if (nid < 0) { /* a posting list of other things: the Python code */
                    err = 1;
                    goto done;
                }
                if (nid >= rv_cap && rv_grow(nid) < 0)
                    goto done;
                if (!rv_in_tok[nid]) {
                    rv_in_tok[nid] = 1;
                    if (touched_push(tok, nid, o) < 0)
                        goto done;
                }
                rv_tok[nid] = s;
            }
        }
        /* the first token followed: 0.0 + w * s is w * s (as the Python code writes it) */
        int first = acc->n == 0;
        for (Py_ssize_t k = 0; k < tok->n; k++) {
            Py_ssize_t nid = tok->items[k].nid;
            double v = w * rv_tok[nid];
            rv_in_tok[nid] = 0;
            if (rv_in_acc[nid]) {
                rv_acc[nid] = rv_acc[nid] + v;
            }
            else {
                rv_in_acc[nid] = 1;
                rv_acc[nid] = first ? v : 0.0 + v;
                if (touched_push(acc, nid, tok->items[k].obj) < 0)
                    goto done;
            }
        }
        tok->n = 0;
    }
    /* _credit_common: the names that can still reach the floor, in acc's order */
    Py_ssize_t nt = PyList_GET_SIZE(common);
    if (nt > 0) {
        Py_ssize_t nr = 0;
        Touched *reach = PyMem_Malloc(sizeof(Touched) * (acc->n ? acc->n : 1));
        if (reach == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t k = 0; k < acc->n; k++) {
            if (rv_acc[acc->items[k].nid] + headroom >= floor)
                reach[nr++] = acc->items[k];
        }
        const Bitmap *bms_s[64];
        for (Py_ssize_t t = 0; t < nt; t++) {
            PyObject *ctok = PyList_GET_ITEM(common, t);
            double share = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(ctok, 0));
            PyObject *sets = PyTuple_GET_ITEM(ctok, 1);
            Py_ssize_t ns = PyList_GET_SIZE(sets);
            const Bitmap **bms = ns <= 64 ? bms_s : PyMem_Malloc(sizeof(Bitmap *) * ns);
            if (bms == NULL) {
                PyMem_Free(reach);
                PyErr_NoMemory();
                goto done;
            }
            for (Py_ssize_t k = 0; k < ns; k++)
                bms[k] = bm_get(PyTuple_GET_ITEM(PyList_GET_ITEM(sets, k), 0));
            for (Py_ssize_t r = 0; r < nr; r++) {
                for (Py_ssize_t k = 0; k < ns; k++) {
                    PyObject *pair = PyList_GET_ITEM(sets, k);
                    int in;
                    if (bms[k] != NULL) {
                        in = bm_has(bms[k], reach[r].nid);
                    }
                    else {
                        in = PySet_Contains(PyTuple_GET_ITEM(pair, 0), reach[r].obj);
                    }
                    if (in < 0) {
                        if (bms != bms_s)
                            PyMem_Free(bms);
                        PyMem_Free(reach);
                        goto done;
                    }
                    if (in) {
                        Py_ssize_t nid = reach[r].nid;
                        rv_acc[nid] =
                            rv_acc[nid] + share * PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(pair, 1));
                        break;
                    }
                }
            }
            if (bms != bms_s)
                PyMem_Free(bms);
        }
        PyMem_Free(reach);
    }
    /* the compact names: max(acc.get(nid, 0.0), 1.0) (the first argument on ties) */
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(compact); k++) {
        PyObject *o = PySequence_Fast_GET_ITEM(compact, k);
        Py_ssize_t nid = name_id(o);
        if (nid >= rv_cap && rv_grow(nid) < 0)
            goto done;
        if (rv_in_acc[nid]) {
            rv_acc[nid] = 1.0 > rv_acc[nid] ? 1.0 : rv_acc[nid];
        }
        else {
            rv_in_acc[nid] = 1;
            rv_acc[nid] = 1.0; /* max(0.0, 1.0) */
            if (touched_push(acc, nid, o) < 0)
                goto done;
        }
    }
    /* _keep_best */
    for (Py_ssize_t k = 0; k < acc->n; k++) {
        double sc = rv_acc[acc->items[k].nid];
        if (!(sc >= floor))
            continue;
        PyObject *obj = acc->items[k].obj;
        PyObject *old = PyDict_GetItemWithError(best, obj);
        if (old == NULL && PyErr_Occurred())
            goto done;
        double b = old == NULL ? 0.0 : PyFloat_AS_DOUBLE(old);
        if (sc > b) {
            PyObject *v = PyFloat_FromDouble(sc);
            if (v == NULL || PyDict_SetItem(best, obj, v) < 0) {
                Py_XDECREF(v);
                goto done;
            }
            Py_DECREF(v);
        }
    }
    err = 0;
done:
    PyMem_Free(ms);
    return err;
}

static PyObject *
kernel_retrieve_variant(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 10) {
        PyErr_SetString(PyExc_TypeError, "retrieve_variant takes 10 arguments");
        return NULL;
    }
    PyObject *per_token = args[0], *followable = args[1], *weights = args[2];
    PyObject *total_o = args[3], *postings = args[4], *common = args[5];
    PyObject *headroom_o = args[6], *floor_o = args[7], *compact_o = args[8];
    PyObject *best = args[9];
    if (rv_busy || !PyList_CheckExact(per_token) || !PyList_CheckExact(followable) ||
        !PyList_CheckExact(weights) || !PyFloat_CheckExact(total_o) ||
        !PyList_CheckExact(postings) || !PyList_CheckExact(common) ||
        !PyFloat_CheckExact(headroom_o) || !PyFloat_CheckExact(floor_o) ||
        !(PyList_CheckExact(compact_o) || PyTuple_CheckExact(compact_o)) ||
        !PyDict_CheckExact(best))
        Py_RETURN_FALSE;
    if (rv_check(per_token, followable, weights, postings, common, compact_o, best))
        Py_RETURN_FALSE;
    TouchedList acc = {NULL, 0, 0}, tok = {NULL, 0, 0};
    rv_busy = 1;
    int err = rv_run(per_token, followable, weights, PyFloat_AS_DOUBLE(total_o), postings,
                     common, PyFloat_AS_DOUBLE(headroom_o), PyFloat_AS_DOUBLE(floor_o),
                     compact_o, best, &acc, &tok);
    /* leave the arrays clear for the next call, whatever happened */
    for (Py_ssize_t k = 0; k < acc.n; k++)
        rv_in_acc[acc.items[k].nid] = 0;
    for (Py_ssize_t k = 0; k < tok.n; k++)
        rv_in_tok[tok.items[k].nid] = 0;
    rv_busy = 0;
    PyMem_Free(acc.items);
    PyMem_Free(tok.items);
    if (err < 0)
        return NULL;
    if (err > 0)
        Py_RETURN_FALSE;
    Py_RETURN_TRUE;
}

/* ------------------------------------------------------------------ trusted models */

/* match.model.trusted_py: an instance of a pydantic model class made as ``cls.__new__``
 * makes it (object.__new__: the type's tp_alloc), ``values`` (a dict) as its __dict__,
 * a new set of ``fields_set`` (of ``values`` when None) as its __pydantic_fields_set__,
 * None as __pydantic_extra__ and __pydantic_private__: the same four attributes set the
 * same way (object.__setattr__ is PyObject_GenericSetAttr). */
static PyObject *str_fields_set = NULL, *str_extra = NULL, *str_private = NULL;
static PyObject *str_query = NULL, *str_list = NULL, *str_similarity = NULL,
                *str_weight = NULL;
static PyObject *builtin_round = NULL, *int_four = NULL;

/* 1 when every item of the set is an exact str. Such a set (a model's fields set, of
 * field names) can be in no reference cycle, so the collector need not track it — as
 * CPython itself untracks dicts and tuples of atomic values, which it does not do for
 * sets. A result's models are a third of the objects a batch leaves behind, each with
 * its own fields set: untracked, the collection after a batch (engine._collector_paused)
 * walks that many objects fewer. Pydantic only ever adds field names to it. */
static int
strings_only(PyObject *set)
{
    Py_ssize_t pos = 0;
    PyObject *item;
    Py_hash_t hash;
    while (_PySet_NextEntry(set, &pos, &item, &hash)) {
        if (!PyUnicode_CheckExact(item))
            return 0;
    }
    return 1;
}

static PyObject *
make_trusted(PyTypeObject *tp, PyObject *values, PyObject *fields)
{
    if (tp->tp_flags & Py_TPFLAGS_IS_ABSTRACT) {
        PyErr_Format(PyExc_TypeError, "cannot build abstract class %s", tp->tp_name);
        return NULL;
    }
    PyObject *m = tp->tp_alloc(tp, 0);
    if (m == NULL)
        return NULL;
    PyObject *set = PySet_New(fields);
    if (set != NULL && strings_only(set))
        PyObject_GC_UnTrack(set);
    if (set == NULL || PyObject_GenericSetDict(m, values, NULL) < 0 ||
        PyObject_GenericSetAttr(m, str_fields_set, set) < 0 ||
        PyObject_GenericSetAttr(m, str_extra, Py_None) < 0 ||
        PyObject_GenericSetAttr(m, str_private, Py_None) < 0) {
        Py_XDECREF(set);
        Py_DECREF(m);
        return NULL;
    }
    Py_DECREF(set);
    return m;
}

static PyObject *
kernel_trusted(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 2 || nargs > 3) {
        PyErr_SetString(PyExc_TypeError, "trusted takes 2 or 3 arguments");
        return NULL;
    }
    if (!PyType_Check(args[0]) || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "trusted(cls, values: dict, fields_set=None)");
        return NULL;
    }
    PyObject *fields = (nargs == 3 && args[2] != Py_None) ? args[2] : args[1];
    return make_trusted((PyTypeObject *)args[0], args[1], fields);
}

/* match.model.str_list_py: list(items), untracked by the cyclic collector when every item
 * is an exact str, as the fields sets above (strings_only): a list of strings can be in no
 * reference cycle. A result carries a few (the explanation's tokens, the normalized
 * forms, the warnings) per hit and per query; CPython never untracks a list itself. */
static PyObject *
kernel_str_list(PyObject *self, PyObject *items)
{
    PyObject *out = PySequence_List(items);
    if (out == NULL)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(out);
    for (Py_ssize_t k = 0; k < n; k++) {
        if (!PyUnicode_CheckExact(PyList_GET_ITEM(out, k)))
            return out;
    }
    PyObject_GC_UnTrack(out);
    return out;
}

/* [trusted(cls, {"query": a, "list": b, "similarity": round(s, 4), "weight": round(w, 4)})
 *  for a, b, s, w in pairs]: the explanation's token pairs (engine.Matcher._hit); round
 * is the builtin itself. */
/* round(x, 4) of the builtin, which rounds the exact binary value of x to 4 decimal
 * places (ties to even) through a correctly rounded decimal string and reads that back
 * (_Py_dg_dtoa, _Py_dg_strtod): about 200 ns, for dozens of numbers per result. The same
 * double faster: y = x * 10000 is within |y| * 2^-53 of the exact product, so when y is
 * more than 1e-6 from a half-integer (|x| < 1e5), the integer k nearest to y is the one
 * nearest to the exact product, with no tie; k and 10000 are exact doubles, and k / 10000
 * is the double nearest to the decimal k * 10^-4, as reading the string gives it. Every
 * other x (near a tie, large, not finite, not an exact float) goes to the builtin. */
static PyObject *
round4(PyObject *x)
{
    if (PyFloat_CheckExact(x)) {
        double v = PyFloat_AS_DOUBLE(x);
        if (fabs(v) < 1e5) {
            double y = v * 10000.0;
            double k = nearbyint(y);
            if (fabs(y - k) <= 0.5 - 1e-6)
                return PyFloat_FromDouble(k / 10000.0);
        }
    }
    PyObject *cargs[2] = {x, int_four};
    return PyObject_Vectorcall(builtin_round, cargs, 2, NULL);
}

static PyObject *
kernel_round4(PyObject *self, PyObject *x)
{
    return round4(x);
}

static PyObject *
kernel_token_pairs(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyType_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "token_pairs(cls, pairs)");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(args[1], "token_pairs: pairs must be a sequence");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        goto fail;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 4) {
            PyErr_SetString(PyExc_TypeError, "token_pairs: each pair is a 4-tuple");
            goto fail;
        }
        PyObject *d = PyDict_New();
        if (d == NULL)
            goto fail;
        PyObject *sim = round4(PyTuple_GET_ITEM(pair, 2));
        PyObject *w = sim == NULL ? NULL : round4(PyTuple_GET_ITEM(pair, 3));
        if (w == NULL || PyDict_SetItem(d, str_query, PyTuple_GET_ITEM(pair, 0)) < 0 ||
            PyDict_SetItem(d, str_list, PyTuple_GET_ITEM(pair, 1)) < 0 ||
            PyDict_SetItem(d, str_similarity, sim) < 0 ||
            PyDict_SetItem(d, str_weight, w) < 0) {
            Py_XDECREF(sim);
            Py_XDECREF(w);
            Py_DECREF(d);
            goto fail;
        }
        Py_DECREF(sim);
        Py_DECREF(w);
        PyObject *m = make_trusted((PyTypeObject *)args[0], d, d);
        Py_DECREF(d);
        if (m == NULL)
            goto fail;
        PyList_SET_ITEM(out, k, m);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

/* match.model.alignment_token_pairs_py: the explanation's token pairs of an alignment
 * given as its matches (features.align_core's order: (query token, list token,
 * similarity) tuples), = token_pairs(cls, features.alignment_pairs(q, c, qw, order))
 * without the intermediate tuples: per query token, its list token (None: unmatched,
 * similarity 0.0) and its weight; a query token listed twice in ``order`` takes its last
 * match, as alignment_pairs' dict does. None when an argument is not of the plain types
 * expected (a position out of range, weights shorter than the query, ...). */
/* by_q[i]: the position in ``order`` of query token i's match (the last one), -1 when
 * unmatched. 0 when done, 1 when ``order`` is not of the plain types expected (a match
 * not a 3-tuple, a position not an int or out of range). */
static int
matches_by_query(PyObject *order, Py_ssize_t nq, Py_ssize_t nc, Py_ssize_t *by_q)
{
    for (Py_ssize_t i = 0; i < nq; i++)
        by_q[i] = -1;
    Py_ssize_t no = PyList_GET_SIZE(order);
    for (Py_ssize_t k = 0; k < no; k++) {
        PyObject *m = PyList_GET_ITEM(order, k);
        if (!PyTuple_CheckExact(m) || PyTuple_GET_SIZE(m) != 3 ||
            !PyLong_CheckExact(PyTuple_GET_ITEM(m, 0)) ||
            !PyLong_CheckExact(PyTuple_GET_ITEM(m, 1)))
            return 1;
        Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(m, 0));
        Py_ssize_t j = PyLong_AsSsize_t(PyTuple_GET_ITEM(m, 1));
        if (i < 0 || i >= nq || j < 0 || j >= nc) {
            PyErr_Clear(); /* an int too large for Py_ssize_t */
            return 1;
        }
        by_q[i] = k;
    }
    return 0;
}

/* What alignment_pairs and alignment_token_pairs share: check the arguments' types (q and
 * c tuples, qw and order lists, qw at least as long as q) and find each query token's
 * match in ``order`` (matches_by_query) into a new array ``*by_q`` that the caller frees.
 * 1 when done, 0 when the arguments are not of the plain types expected (the caller
 * declines with None), -1 with an exception set. */
static int
pairs_by_query(PyObject *q, PyObject *c, PyObject *qw, PyObject *order, Py_ssize_t **by_q)
{
    if (!PyTuple_CheckExact(q) || !PyTuple_CheckExact(c) || !PyList_CheckExact(qw) ||
        !PyList_CheckExact(order))
        return 0;
    Py_ssize_t nq = PyTuple_GET_SIZE(q), nc = PyTuple_GET_SIZE(c);
    if (PyList_GET_SIZE(qw) < nq)
        return 0;
    Py_ssize_t *found = PyMem_New(Py_ssize_t, nq > 0 ? nq : 1);
    if (found == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (matches_by_query(order, nq, nc, found)) {
        PyMem_Free(found);
        return 0;
    }
    *by_q = found;
    return 1;
}

/* features.alignment_pairs_py: the (query, list, similarity, weight) of each query token
 * (list None and similarity 0.0 when unmatched), as a tuple of tuples. None when an
 * argument is not of the plain types expected (see matches_by_query; weights shorter than
 * the query). */
static PyObject *
kernel_alignment_pairs(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "alignment_pairs(q, c, qw, order)");
        return NULL;
    }
    PyObject *q = args[0], *c = args[1], *qw = args[2], *order = args[3];
    Py_ssize_t *by_q = NULL;
    int got = pairs_by_query(q, c, qw, order, &by_q);
    if (got <= 0)
        return got < 0 ? NULL : Py_NewRef(Py_None);
    Py_ssize_t nq = PyTuple_GET_SIZE(q);
    PyObject *zero = PyFloat_FromDouble(0.0);
    PyObject *out = zero == NULL ? NULL : PyTuple_New(nq);
    if (out == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < nq; i++) {
        PyObject *b = Py_None, *sim = zero;
        if (by_q[i] >= 0) {
            PyObject *m = PyList_GET_ITEM(order, by_q[i]);
            b = PyTuple_GET_ITEM(c, PyLong_AsSsize_t(PyTuple_GET_ITEM(m, 1)));
            sim = PyTuple_GET_ITEM(m, 2);
        }
        PyObject *pair = PyTuple_Pack(4, PyTuple_GET_ITEM(q, i), b, sim, PyList_GET_ITEM(qw, i));
        if (pair == NULL)
            goto fail;
        untrack_atomic(pair);
        PyTuple_SET_ITEM(out, i, pair);
    }
    untrack_atomic(out);
    Py_DECREF(zero);
    PyMem_Free(by_q);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(zero);
    PyMem_Free(by_q);
    return NULL;
}

static PyObject *
kernel_alignment_token_pairs(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyType_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "alignment_token_pairs(cls, q, c, qw, order)");
        return NULL;
    }
    PyObject *q = args[1], *c = args[2], *qw = args[3], *order = args[4];
    Py_ssize_t *by_q = NULL;
    int got = pairs_by_query(q, c, qw, order, &by_q);
    if (got <= 0)
        return got < 0 ? NULL : Py_NewRef(Py_None);
    Py_ssize_t nq = PyTuple_GET_SIZE(q);
    PyObject *zero = PyFloat_FromDouble(0.0);
    PyObject *out = zero == NULL ? NULL : PyList_New(nq);
    if (out == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < nq; i++) {
        PyObject *b = Py_None, *s = zero;
        if (by_q[i] >= 0) {
            PyObject *m = PyList_GET_ITEM(order, by_q[i]);
            b = PyTuple_GET_ITEM(c, PyLong_AsSsize_t(PyTuple_GET_ITEM(m, 1)));
            s = PyTuple_GET_ITEM(m, 2);
        }
        PyObject *d = PyDict_New();
        if (d == NULL)
            goto fail;
        PyObject *sim = round4(s);
        PyObject *w = sim == NULL ? NULL : round4(PyList_GET_ITEM(qw, i));
        if (w == NULL || PyDict_SetItem(d, str_query, PyTuple_GET_ITEM(q, i)) < 0 ||
            PyDict_SetItem(d, str_list, b) < 0 || PyDict_SetItem(d, str_similarity, sim) < 0 ||
            PyDict_SetItem(d, str_weight, w) < 0) {
            Py_XDECREF(sim);
            Py_XDECREF(w);
            Py_DECREF(d);
            goto fail;
        }
        Py_DECREF(sim);
        Py_DECREF(w);
        PyObject *model = make_trusted((PyTypeObject *)args[0], d, d);
        Py_DECREF(d);
        if (model == NULL)
            goto fail;
        PyList_SET_ITEM(out, i, model);
    }
    Py_DECREF(zero);
    PyMem_Free(by_q);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(zero);
    PyMem_Free(by_q);
    return NULL;
}

/* engine.Matcher._features_py for a hit without a skeleton feature: per name feature
 * (``kinds``: name -> value, in order) a Feature of its value rounded, weight 1.0, the
 * name score rounded as the contribution of the ``winner`` (0.0 for the others), and as
 * detail the alignment's coverages rounded (token alignment) or nothing; then one Feature
 * per secondary feature, of its (name, value, weight, contribution, detail) as they are.
 * None when a feature is the consonant skeleton's or an argument is not of the plain types
 * expected (the Python code runs). */
static PyObject *str_f_name = NULL, *str_f_value = NULL, *str_f_weight = NULL,
                *str_f_contribution = NULL, *str_f_detail = NULL, *str_q_coverage = NULL,
                *str_l_coverage = NULL, *str_k_alignment = NULL, *str_k_skeleton = NULL;

static PyObject *
feature_model(PyTypeObject *tp, PyObject *name, PyObject *value, PyObject *weight,
              PyObject *contribution, PyObject *detail)
{
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    if (PyDict_SetItem(d, str_f_name, name) < 0 || PyDict_SetItem(d, str_f_value, value) < 0 ||
        PyDict_SetItem(d, str_f_weight, weight) < 0 ||
        PyDict_SetItem(d, str_f_contribution, contribution) < 0 ||
        PyDict_SetItem(d, str_f_detail, detail) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    PyObject *m = make_trusted(tp, d, d);
    Py_DECREF(d);
    return m;
}

static PyObject *
kernel_features(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7 || !PyType_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError,
                        "features(cls, kinds, q_cov, c_cov, name_score, winner, secondary)");
        return NULL;
    }
    PyTypeObject *tp = (PyTypeObject *)args[0];
    PyObject *kinds = args[1], *q_cov = args[2], *c_cov = args[3], *name_score = args[4],
             *winner = args[5], *secondary = args[6];
    if (!PyDict_CheckExact(kinds) || !PyUnicode_CheckExact(winner) ||
        !PyList_CheckExact(secondary))
        Py_RETURN_NONE;
    Py_ssize_t pos = 0, ns = PyList_GET_SIZE(secondary);
    PyObject *fname, *value;
    while (PyDict_Next(kinds, &pos, &fname, &value)) {
        if (!PyUnicode_CheckExact(fname) || PyUnicode_Compare(fname, str_k_skeleton) == 0)
            Py_RETURN_NONE;
    }
    if (PyErr_Occurred())
        return NULL;
    for (Py_ssize_t k = 0; k < ns; k++) {
        PyObject *t = PyList_GET_ITEM(secondary, k);
        if (!PyTuple_CheckExact(t) || PyTuple_GET_SIZE(t) != 5)
            Py_RETURN_NONE;
    }
    PyObject *out = PyList_New(0), *one = PyFloat_FromDouble(1.0),
             *zero = PyFloat_FromDouble(0.0);
    if (out == NULL || one == NULL || zero == NULL)
        goto fail;
    pos = 0;
    while (PyDict_Next(kinds, &pos, &fname, &value)) {
        PyObject *detail = PyDict_New();
        if (detail == NULL)
            goto fail;
        if (PyUnicode_Compare(fname, str_k_alignment) == 0) {
            PyObject *qc = round4(q_cov);
            PyObject *cc = qc == NULL ? NULL : round4(c_cov);
            if (cc == NULL || PyDict_SetItem(detail, str_q_coverage, qc) < 0 ||
                PyDict_SetItem(detail, str_l_coverage, cc) < 0) {
                Py_XDECREF(qc);
                Py_XDECREF(cc);
                Py_DECREF(detail);
                goto fail;
            }
            Py_DECREF(qc);
            Py_DECREF(cc);
        }
        PyObject *v = round4(value), *contribution = NULL;
        if (v != NULL) {
            int won = PyUnicode_Compare(fname, winner) == 0;
            contribution = won ? round4(name_score) : Py_NewRef(zero);
        }
        PyObject *m = contribution == NULL
                          ? NULL
                          : feature_model(tp, fname, v, one, contribution, detail);
        Py_XDECREF(v);
        Py_XDECREF(contribution);
        Py_DECREF(detail);
        if (m == NULL || PyList_Append(out, m) < 0) {
            Py_XDECREF(m);
            goto fail;
        }
        Py_DECREF(m);
    }
    for (Py_ssize_t k = 0; k < ns; k++) {
        PyObject *t = PyList_GET_ITEM(secondary, k);
        PyObject *m = feature_model(tp, PyTuple_GET_ITEM(t, 0), PyTuple_GET_ITEM(t, 1),
                                    PyTuple_GET_ITEM(t, 2), PyTuple_GET_ITEM(t, 3),
                                    PyTuple_GET_ITEM(t, 4));
        if (m == NULL || PyList_Append(out, m) < 0) {
            Py_XDECREF(m);
            goto fail;
        }
        Py_DECREF(m);
    }
    Py_DECREF(one);
    Py_DECREF(zero);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(one);
    Py_XDECREF(zero);
    return NULL;
}

/* ------------------------------------------------------------------ similarity memo */

/* match.memo.PairMemoPy: ``fn(a, b[, strict])`` remembered per (a, b, strict), for str
 * tokens and a bool ``strict`` (2 arguments: strict is False), in two levels of dicts
 * (strict -> a -> b -> result) rather than functools.lru_cache's key tuples: a float in a
 * dict of str keys leaves the dict untracked by the cyclic collector, so the pairs a batch
 * first meets add no objects for the collection after it (engine._collector_paused) to
 * walk; and (a, b) and (a, b, False) are one entry. When ``maxsize`` results are held the
 * memo starts afresh. Any other call (keywords, other types, a result that is not an exact
 * float) goes to ``fn`` unremembered. */
typedef struct {
    PyObject_HEAD
    PyObject *fn;
    PyObject *maps[2]; /* strict False, True: dict a -> dict b -> float */
    Py_ssize_t size, maxsize;
    vectorcallfunc vectorcall;
} PairMemo;

static int
memo_reset(PairMemo *m)
{
    for (int k = 0; k < 2; k++) {
        PyObject *d = PyDict_New();
        if (d == NULL)
            return -1;
        Py_XSETREF(m->maps[k], d);
    }
    m->size = 0;
    return 0;
}

static PyObject *
memo_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    PairMemo *m = (PairMemo *)self;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (kwnames != NULL || nargs < 2 || nargs > 3 || !PyUnicode_CheckExact(args[0]) ||
        !PyUnicode_CheckExact(args[1]) || (nargs == 3 && !PyBool_Check(args[2])))
        return PyObject_Vectorcall(m->fn, args, nargsf, kwnames);
    int strict = nargs == 3 && args[2] == Py_True;
    PyObject *inner = PyDict_GetItemWithError(m->maps[strict], args[0]);
    if (inner != NULL) {
        PyObject *got = PyDict_GetItemWithError(inner, args[1]);
        if (got != NULL)
            return Py_NewRef(got);
    }
    if (PyErr_Occurred())
        return NULL;
    PyObject *r = PyObject_Vectorcall(m->fn, args, nargsf, NULL);
    if (r == NULL || !PyFloat_CheckExact(r))
        return r;
    if (m->size >= m->maxsize) {
        if (memo_reset(m) < 0)
            goto fail;
        inner = NULL;
    }
    else {
        /* fn may have reset the memo (a nested call): look the row up again */
        inner = PyDict_GetItemWithError(m->maps[strict], args[0]);
        if (inner == NULL && PyErr_Occurred())
            goto fail;
    }
    if (inner == NULL) {
        inner = PyDict_New();
        if (inner == NULL)
            goto fail;
        int bad = PyDict_SetItem(m->maps[strict], args[0], inner);
        Py_DECREF(inner); /* the map holds it */
        if (bad)
            goto fail;
    }
    if (PyDict_SetItem(inner, args[1], r) < 0)
        goto fail;
    m->size++;
    return r;
fail:
    Py_DECREF(r);
    return NULL;
}

static PyObject *
memo_new(PyTypeObject *tp, PyObject *args, PyObject *kwds)
{
    PyObject *fn;
    Py_ssize_t maxsize;
    static char *kwlist[] = {"fn", "maxsize", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "On:PairMemo", kwlist, &fn, &maxsize))
        return NULL;
    if (!PyCallable_Check(fn) || maxsize < 1) {
        PyErr_SetString(PyExc_ValueError, "PairMemo(fn, maxsize): a callable and maxsize >= 1");
        return NULL;
    }
    PairMemo *m = (PairMemo *)tp->tp_alloc(tp, 0);
    if (m == NULL)
        return NULL;
    m->fn = Py_NewRef(fn);
    m->maxsize = maxsize;
    m->vectorcall = memo_vectorcall;
    if (memo_reset(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return (PyObject *)m;
}

static int
memo_traverse(PairMemo *m, visitproc visit, void *arg)
{
    Py_VISIT(m->fn);
    Py_VISIT(m->maps[0]);
    Py_VISIT(m->maps[1]);
    return 0;
}

static int
memo_clear_refs(PairMemo *m)
{
    Py_CLEAR(m->fn);
    Py_CLEAR(m->maps[0]);
    Py_CLEAR(m->maps[1]);
    return 0;
}

static void
memo_dealloc(PairMemo *m)
{
    PyObject_GC_UnTrack(m);
    memo_clear_refs(m);
    Py_TYPE(m)->tp_free((PyObject *)m);
}

static PyObject *
memo_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return PyVectorcall_Call(self, args, kwargs);
}

static PyObject *
memo_cache_clear(PairMemo *m, PyObject *Py_UNUSED(ignored))
{
    if (memo_reset(m) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
memo_len(PairMemo *m, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(m->size);
}

/* PairMemoPy.row: the memo's own dict b -> fn(a, b, strict) for one first token (made
 * empty, and counted as one result, when there is none yet), for a caller that looks many second tokens up against
 * one first token (engine.Matcher._query_data's similarity rows) */
static PyObject *
memo_row(PairMemo *m, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_CheckExact(args[0]) || !PyBool_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "row(a, strict): a str and a bool");
        return NULL;
    }
    PyObject *map = m->maps[args[1] == Py_True];
    PyObject *inner = PyDict_GetItemWithError(map, args[0]);
    if (inner != NULL)
        return Py_NewRef(inner);
    if (PyErr_Occurred())
        return NULL;
    inner = PyDict_New();
    if (inner == NULL)
        return NULL;
    if (PyDict_SetItem(map, args[0], inner) < 0) {
        Py_DECREF(inner);
        return NULL;
    }
    m->size++; /* a row counts as one result: rows of tokens met alone stay bounded */
    return inner;
}

static PyMethodDef memo_methods[] = {
    {"cache_clear", (PyCFunction)memo_cache_clear, METH_NOARGS, "forget every result"},
    {"row", (PyCFunction)(void (*)(void))memo_row, METH_FASTCALL,
     "row(a, strict): the dict of the results remembered for a (second token -> result)"},
    {"size", (PyCFunction)memo_len, METH_NOARGS, "how many results are remembered"},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef memo_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(PairMemo, vectorcall), READONLY, NULL},
    {"fn", T_OBJECT, offsetof(PairMemo, fn), READONLY, "the function remembered"},
    {"maxsize", T_PYSSIZET, offsetof(PairMemo, maxsize), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject PairMemoType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "stopship.match._kernel.PairMemo",
    .tp_basicsize = sizeof(PairMemo),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "PairMemo(fn, maxsize): fn(a, b[, strict]) remembered (match.memo.PairMemoPy)",
    .tp_new = memo_new,
    .tp_dealloc = (destructor)memo_dealloc,
    .tp_traverse = (traverseproc)memo_traverse,
    .tp_clear = (inquiry)memo_clear_refs,
    .tp_call = memo_call,
    .tp_vectorcall_offset = offsetof(PairMemo, vectorcall),
    .tp_methods = memo_methods,
    .tp_members = memo_members,
};

/* ------------------------------------------------------------------ phonetic key */

/* match.features.phonetic_py: a token's light phonetic key. ``pairs`` is the tuple of
 * (old, new) replacements (features._PHONETIC), applied in order as str.replace applies
 * them (PyUnicode_Replace is str.replace); the two regular expressions are written out:
 * "c" before "e", "i" or "y" becomes "s" (c(?=[eiy]), looked up in the string as it was
 * before), and a run of one character other than a newline becomes that character once
 * ((.)\1+, "." being any character but a newline). None when ``token`` is not an exact
 * str or ``pairs`` not a tuple of pairs of exact str. */
static PyObject *
soft_c(PyObject *t)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(t);
    int kind = PyUnicode_KIND(t);
    const void *data = PyUnicode_DATA(t);
    Py_UCS4 *buf = NULL;
    for (Py_ssize_t k = 0; k + 1 < n; k++) {
        if (PyUnicode_READ(kind, data, k) != 'c')
            continue;
        Py_UCS4 next = PyUnicode_READ(kind, data, k + 1);
        if (next != 'e' && next != 'i' && next != 'y')
            continue;
        if (buf == NULL) {
            buf = PyUnicode_AsUCS4Copy(t);
            if (buf == NULL)
                return NULL;
        }
        buf[k] = 's';
    }
    if (buf == NULL)
        return Py_NewRef(t);
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n);
    PyMem_Free(buf);
    return out;
}

static PyObject *
undoubled(PyObject *t)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(t);
    int kind = PyUnicode_KIND(t);
    const void *data = PyUnicode_DATA(t);
    Py_ssize_t k = 1;
    while (k < n && (PyUnicode_READ(kind, data, k) != PyUnicode_READ(kind, data, k - 1) ||
                     PyUnicode_READ(kind, data, k) == '\n'))
        k++;
    if (k >= n)
        return Py_NewRef(t);
    Py_UCS4 *buf = PyMem_New(Py_UCS4, n);
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t m = 0;
    for (Py_ssize_t j = 0; j < n; j++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, j);
        if (m > 0 && ch != '\n' && buf[m - 1] == ch)
            continue;
        buf[m++] = ch;
    }
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, m);
    PyMem_Free(buf);
    return out;
}

static int
ascii_tail_is(PyObject *t, const char *tail)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(t), m = (Py_ssize_t)strlen(tail);
    if (n < m)
        return 0;
    int kind = PyUnicode_KIND(t);
    const void *data = PyUnicode_DATA(t);
    for (Py_ssize_t k = 0; k < m; k++) {
        if (PyUnicode_READ(kind, data, n - m + k) != (Py_UCS4)(unsigned char)tail[k])
            return 0;
    }
    return 1;
}

static PyObject *
kernel_phonetic(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "phonetic(token, pairs)");
        return NULL;
    }
    PyObject *token = args[0], *pairs = args[1];
    if (!PyUnicode_CheckExact(token) || PyUnicode_READY(token) < 0 || !PyTuple_CheckExact(pairs))
        Py_RETURN_NONE;
    Py_ssize_t np = PyTuple_GET_SIZE(pairs);
    for (Py_ssize_t k = 0; k < np; k++) {
        PyObject *pair = PyTuple_GET_ITEM(pairs, k);
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2 ||
            !PyUnicode_CheckExact(PyTuple_GET_ITEM(pair, 0)) ||
            !PyUnicode_CheckExact(PyTuple_GET_ITEM(pair, 1)))
            Py_RETURN_NONE;
    }
    PyObject *t;
    Py_ssize_t n = PyUnicode_GET_LENGTH(token);
    int kind = PyUnicode_KIND(token);
    const void *data = PyUnicode_DATA(token);
    if (n >= 2 && PyUnicode_READ(kind, data, 1) == 'e' &&
        (PyUnicode_READ(kind, data, 0) == 'y' || PyUnicode_READ(kind, data, 0) == 'i')) {
        /* Cyrillic initial е: "e" + t[2:] */
        PyObject *rest = PyUnicode_Substring(token, 2, n);
        if (rest == NULL)
            return NULL;
        PyObject *e = PyUnicode_FromOrdinal('e');
        t = e == NULL ? NULL : PyUnicode_Concat(e, rest);
        Py_XDECREF(e);
        Py_DECREF(rest);
    }
    else
        t = Py_NewRef(token);
    if (t == NULL)
        return NULL;
    PyObject *u = soft_c(t);
    Py_DECREF(t);
    t = u;
    for (Py_ssize_t k = 0; t != NULL && k < np; k++) {
        PyObject *pair = PyTuple_GET_ITEM(pairs, k);
        u = PyUnicode_Replace(t, PyTuple_GET_ITEM(pair, 0), PyTuple_GET_ITEM(pair, 1), -1);
        Py_DECREF(t);
        t = u;
    }
    if (t == NULL)
        return NULL;
    u = undoubled(t);
    Py_DECREF(t);
    t = u;
    if (t == NULL)
        return NULL;
    n = PyUnicode_GET_LENGTH(t);
    if (n > 7 && ascii_tail_is(t, "skaia")) { /* Russian "-skaya", Ukrainian "-ska" */
        u = PyUnicode_Substring(t, 0, n - 2);
        Py_DECREF(t);
        t = u;
        if (t == NULL)
            return NULL;
        n -= 2;
    }
    if (n <= 4)
        return t;
    /* t.rstrip("e") */
    kind = PyUnicode_KIND(t);
    data = PyUnicode_DATA(t);
    Py_ssize_t end = n;
    while (end > 0 && PyUnicode_READ(kind, data, end - 1) == 'e')
        end--;
    if (end == n)
        return t;
    u = PyUnicode_Substring(t, 0, end);
    Py_DECREF(t);
    return u;
}

/* ------------------------------------------------------------------ regrouping keys */

/* match.regroup.name_keys_of_py: the words of a name's spellings and the words a
 * regrouping could make of them (two neighbours joined; the first letters of a run of
 * ACRONYM_LETTERS words, the run at most ACRONYM_WORDS long), each once, sorted, as two
 * tuples. ``letters_min``/``letters_max``/``words_max`` are those constants. None when a
 * spelling is not a tuple of non-empty exact str (the Python code runs, and raises). */
static int
sorted_tuple(PyObject *set, PyObject **out)
{
    PyObject *lst = PySequence_List(set);
    if (lst == NULL)
        return -1;
    if (PyList_Sort(lst) < 0) {
        Py_DECREF(lst);
        return -1;
    }
    *out = PyList_AsTuple(lst);
    Py_DECREF(lst);
    return *out == NULL ? -1 : 0;
}

static PyObject *
kernel_name_keys(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyTuple_CheckExact(args[0]) || !PyLong_CheckExact(args[1]) ||
        !PyLong_CheckExact(args[2]) || !PyLong_CheckExact(args[3])) {
        PyErr_SetString(PyExc_TypeError,
                        "name_keys(spellings, letters_min, letters_max, words_max)");
        return NULL;
    }
    PyObject *spellings = args[0];
    Py_ssize_t lo = PyLong_AsSsize_t(args[1]), hi = PyLong_AsSsize_t(args[2]),
               most = PyLong_AsSsize_t(args[3]);
    if ((lo == -1 || hi == -1 || most == -1) && PyErr_Occurred())
        return NULL;
    Py_ssize_t ns = PyTuple_GET_SIZE(spellings);
    for (Py_ssize_t s = 0; s < ns; s++) {
        PyObject *sp = PyTuple_GET_ITEM(spellings, s);
        if (!PyTuple_CheckExact(sp))
            Py_RETURN_NONE;
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(sp); i++) {
            PyObject *w = PyTuple_GET_ITEM(sp, i);
            if (!PyUnicode_CheckExact(w) || PyUnicode_READY(w) < 0 ||
                PyUnicode_GET_LENGTH(w) == 0)
                Py_RETURN_NONE;
        }
    }
    PyObject *words = PySet_New(NULL), *keys = PySet_New(NULL);
    PyObject *firsts = NULL, *out = NULL, *wt = NULL, *kt = NULL;
    Py_UCS4 *buf = NULL;
    if (words == NULL || keys == NULL)
        goto done;
    for (Py_ssize_t s = 0; s < ns; s++) {
        PyObject *sp = PyTuple_GET_ITEM(spellings, s);
        Py_ssize_t n = PyTuple_GET_SIZE(sp);
        for (Py_ssize_t i = 0; i < n; i++) {
            if (PySet_Add(words, PyTuple_GET_ITEM(sp, i)) < 0)
                goto done;
        }
        if (n < 2)
            continue;
        /* the first letters of the words, one per word */
        PyMem_Free(buf);
        buf = PyMem_New(Py_UCS4, n);
        if (buf == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t i = 0; i < n; i++)
            buf[i] = PyUnicode_READ_CHAR(PyTuple_GET_ITEM(sp, i), 0);
        Py_XDECREF(firsts);
        firsts = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n);
        if (firsts == NULL)
            goto done;
        for (Py_ssize_t i = 0; i < n - 1; i++) {
            PyObject *joined =
                PyUnicode_Concat(PyTuple_GET_ITEM(sp, i), PyTuple_GET_ITEM(sp, i + 1));
            if (joined == NULL)
                goto done;
            int err = PySet_Add(keys, joined);
            Py_DECREF(joined);
            if (err < 0)
                goto done;
            /* runs i..end-1 of lo to hi words (end < i + most) */
            Py_ssize_t last = i + hi;
            if (last > n)
                last = n;
            if (last > i + most)
                last = i + most;
            for (Py_ssize_t end = i + lo; end <= last; end++) {
                PyObject *run = PyUnicode_Substring(firsts, i, end);
                if (run == NULL)
                    goto done;
                err = PySet_Add(keys, run);
                Py_DECREF(run);
                if (err < 0)
                    goto done;
            }
        }
    }
    if (sorted_tuple(words, &wt) < 0 || sorted_tuple(keys, &kt) < 0)
        goto done;
    out = PyTuple_Pack(2, wt, kt);
done:
    PyMem_Free(buf);
    Py_XDECREF(firsts);
    Py_XDECREF(wt);
    Py_XDECREF(kt);
    Py_XDECREF(words);
    Py_XDECREF(keys);
    return out;
}

/* ------------------------------------------------------------------ module */

static PyMethodDef kernel_methods[] = {
    {"align_core", (PyCFunction)(void (*)(void))kernel_align_core, METH_FASTCALL,
     "align_core(q, qw, c, cw, cf, strict, rows, token_similarity): "
     "stopship.match.features.align_core, or None when the Python code must run"},
    {"best_alignment", (PyCFunction)(void (*)(void))kernel_best_alignment, METH_FASTCALL,
     "best_alignment(qdata, variants, strict, bare_person, compact_min, compact_joined, "
     "token_similarity): engine._best_alignment_py without generic words, or None when "
     "the Python code must run"},
    {"compact_joined", (PyCFunction)(void (*)(void))kernel_compact_joined, METH_FASTCALL,
     "compact_joined(a, b, strict, compact_min): stopship.match.features.compact_joined, "
     "or None when the Python code must run"},
    {"walk_neighbours", (PyCFunction)(void (*)(void))kernel_walk_neighbours, METH_FASTCALL,
     "walk_neighbours(token, keys, neighbours, tokens, found, token_similarity): "
     "TokenIndex._similar_tokens' walk of the deletion neighbourhood; False when not run"},
    {"token_similarity", (PyCFunction)(void (*)(void))kernel_token_similarity, METH_FASTCALL,
     "token_similarity(a, b, strict, same_given_name, same_meaning, phonetic): "
     "stopship.match.features.token_similarity, or None when the Python code must run"},
    {"similarity", (PyCFunction)(void (*)(void))kernel_similarity, METH_FASTCALL,
     "similarity(a, b, strict, name_key, concepts, phonetic): token_similarity with "
     "same_given_name and same_meaning computed from their lookups"},
    {"similarity_constants", kernel_similarity_constants, METH_VARARGS,
     "similarity_constants(initial, exact_only_len, first_letter_penalty, phonetic, "
     "translation, match_min, weak): token_similarity's weights (match.weights), set "
     "once"},
    {"retrieve_variant", (PyCFunction)(void (*)(void))kernel_retrieve_variant, METH_FASTCALL,
     "retrieve_variant(per_token, followable, weights, total, postings, common, headroom, "
     "floor, compact, best): TokenIndex.retrieve's work for one query spelling; False when "
     "not run"},
    {"trusted", (PyCFunction)(void (*)(void))kernel_trusted, METH_FASTCALL,
     "trusted(cls, values, fields_set=None): stopship.match.model.trusted_py"},
    {"round4", kernel_round4, METH_O,
     "round4(x): round(x, 4), the same float (match.model.round4_py)"},
    {"str_list", (PyCFunction)kernel_str_list, METH_O,
     "str_list(items): stopship.match.model.str_list_py"},
    {"token_pairs", (PyCFunction)(void (*)(void))kernel_token_pairs, METH_FASTCALL,
     "token_pairs(cls, pairs): the explanation's TokenPair models of (query, list, "
     "similarity, weight) tuples, similarity and weight rounded to 4 places"},
    {"features", (PyCFunction)(void (*)(void))kernel_features, METH_FASTCALL,
     "features(cls, kinds, q_cov, c_cov, name_score, winner, secondary): "
     "engine.Matcher._features_py without a skeleton feature, or None when the Python "
     "code must run"},
    {"alignment_pairs", (PyCFunction)(void (*)(void))kernel_alignment_pairs, METH_FASTCALL,
     "alignment_pairs(q, c, qw, order): stopship.match.features.alignment_pairs_py, or "
     "None when the Python code must run"},
    {"alignment_token_pairs", (PyCFunction)(void (*)(void))kernel_alignment_token_pairs,
     METH_FASTCALL,
     "alignment_token_pairs(cls, q, c, qw, order): token_pairs of features.alignment_pairs"
     " (match.model.alignment_token_pairs_py), or None when the Python code must run"},
    {"phonetic", (PyCFunction)(void (*)(void))kernel_phonetic, METH_FASTCALL,
     "phonetic(token, pairs): stopship.match.features.phonetic_py, or None when the "
     "Python code must run"},
    {"name_keys", (PyCFunction)(void (*)(void))kernel_name_keys, METH_FASTCALL,
     "name_keys(spellings, letters_min, letters_max, words_max): "
     "stopship.match.regroup.name_keys_of_py, or None when the Python code must run"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef kernel_module = {
    PyModuleDef_HEAD_INIT, "_kernel", "Compiled inner loops of the matcher.", -1,
    kernel_methods,
};

PyMODINIT_FUNC
PyInit__kernel(void)
{
    PyObject *builtins = PyImport_ImportModule("builtins");
    if (builtins == NULL)
        return NULL;
    builtin_sum = PyObject_GetAttrString(builtins, "sum");
    builtin_round = PyObject_GetAttrString(builtins, "round");
    Py_DECREF(builtins);
    if (builtin_sum == NULL || builtin_round == NULL)
        return NULL;
    int_four = PyLong_FromLong(4);
    str_fields_set = PyUnicode_InternFromString("__pydantic_fields_set__");
    str_extra = PyUnicode_InternFromString("__pydantic_extra__");
    str_private = PyUnicode_InternFromString("__pydantic_private__");
    str_query = PyUnicode_InternFromString("query");
    str_list = PyUnicode_InternFromString("list");
    str_similarity = PyUnicode_InternFromString("similarity");
    str_weight = PyUnicode_InternFromString("weight");
    str_f_name = PyUnicode_InternFromString("name");
    str_f_value = PyUnicode_InternFromString("value");
    str_f_weight = PyUnicode_InternFromString("weight");
    str_f_contribution = PyUnicode_InternFromString("contribution");
    str_f_detail = PyUnicode_InternFromString("detail");
    str_q_coverage = PyUnicode_InternFromString("query_coverage");
    str_l_coverage = PyUnicode_InternFromString("list_coverage");
    str_k_alignment = PyUnicode_InternFromString("name.token_alignment");
    str_k_skeleton = PyUnicode_InternFromString("name.consonant_skeleton");
    if (str_f_name == NULL || str_f_value == NULL || str_f_weight == NULL ||
        str_f_contribution == NULL || str_f_detail == NULL || str_q_coverage == NULL ||
        str_l_coverage == NULL || str_k_alignment == NULL || str_k_skeleton == NULL)
        return NULL;
    if (int_four == NULL || str_fields_set == NULL || str_extra == NULL ||
        str_private == NULL || str_query == NULL || str_list == NULL ||
        str_similarity == NULL || str_weight == NULL)
        return NULL;
    if (PyType_Ready(&PairMemoType) < 0)
        return NULL;
    PyObject *mod = PyModule_Create(&kernel_module);
    if (mod == NULL)
        return NULL;
    if (PyModule_AddObjectRef(mod, "PairMemo", (PyObject *)&PairMemoType) < 0) {
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
