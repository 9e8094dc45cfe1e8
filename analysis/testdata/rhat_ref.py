# Independent implementation of rank-normalized split-Rhat (Vehtari et al. 2021, Eqs. in Sec. 4.1-4.2),
# following the reference code of the paper's appendix (posterior/rstan's rhat), for a fixed data set.
import numpy as np
from scipy.stats import rankdata, norm
def split(chains):
    n = min(len(c) for c in chains)//2
    out=[]
    for c in chains:
        c=np.asarray(c); out += [c[:n], c[len(c)-n:]]
    return np.array(out)
def z_scale(x):
    S=x.size; r=rankdata(x.ravel(), method='average').reshape(x.shape)
    return norm.ppf((r-3/8)/(S+1/4))
def rhat_basic(x):
    m,n=x.shape; means=x.mean(axis=1); W=x.var(axis=1,ddof=1).mean(); B=n*means.var(ddof=1)
    return np.sqrt(((n-1)/n*W + B/n)/W)
def rhat(chains):
    x=split(chains)
    bulk=rhat_basic(z_scale(x))
    f=np.abs(x-np.median(x))
    tail=rhat_basic(z_scale(f))
    return max(bulk,tail), bulk, tail
# data: a fixed LCG so that Go can regenerate it exactly
def lcg(seed, n):
    out=[]; s=seed
    for _ in range(n):
        s=(6364136223846793005*s+1442695040888963407) % 2**64
        out.append((s>>11)/2**53)
    return out
chains=[lcg(1,40), lcg(2,40), [v*2+0.3 for v in lcg(3,41)]]
print(repr(rhat(chains)))
