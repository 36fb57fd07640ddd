/* The layout and availability of the register kernels; see fma_tile.h. */
#include "kernels/fma_tile.h"

int mix__tiles_serve(size_t cols)
{
#if MIX__FMA_TILES
    return cols <= MIX__TILE_MAX_D && mix__fma_usable();
#else
    (void)cols;
    return 0;
#endif
}

void mix__tile_layout(const double *C, size_t k, size_t cols, double *G)
{
    const size_t k4 = k & ~(size_t)3;
    for (size_t j = 0; j < k4; j += 4)
        for (size_t t = 0; t < cols; t++)
            for (size_t c = 0; c < 4; c++)
                G[j * cols + t * 4 + c] = C[(j + c) * cols + t];
    for (size_t i = k4 * cols; i < k * cols; i++)
        G[i] = C[i];
}
