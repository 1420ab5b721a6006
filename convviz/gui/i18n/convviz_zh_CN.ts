<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>cpu (one core)</source>
        <translation>cpu（单核）</translation>
    </message>
    <message>
        <source>cpu-parallel (all cores)</source>
        <translation>cpu-parallel（全部核心）</translation>
    </message>
    <message>
        <source>cuda kernel only</source>
        <translation>cuda 仅内核</translation>
    </message>
    <message>
        <source>cuda end-to-end (with copies)</source>
        <translation>cuda 端到端（含数据拷贝）</translation>
    </message>
    <message>
        <source>cuda-tiled kernel only</source>
        <translation>cuda-tiled 仅内核</translation>
    </message>
    <message>
        <source>cuda-tiled end-to-end (with copies)</source>
        <translation>cuda-tiled 端到端（含数据拷贝）</translation>
    </message>
    <message>
        <source>this machine: {machine}</source>
        <translation>本机：{machine}</translation>
    </message>
    <message>
        <source>measured on {machine}, {date}</source>
        <translation>测于 {machine}，{date}</translation>
    </message>
    <message>
        <source>image size in pixels (side², log scale)</source>
        <translation>图像大小（像素，边长²，对数坐标）</translation>
    </message>
    <message>
        <source>time per convolution (log scale)</source>
        <translation>每次卷积耗时（对数坐标）</translation>
    </message>
    <message>
        <source>Where the GPU&apos;s time goes</source>
        <translation>GPU 的时间花在哪里</translation>
    </message>
    <message>
        <source>share of cuda end-to-end (%)</source>
        <translation>占 cuda 端到端时间的比例（%）</translation>
    </message>
    <message>
        <source>host→device copy</source>
        <translation>主机→设备拷贝</translation>
    </message>
    <message>
        <source>kernel</source>
        <translation>内核</translation>
    </message>
    <message>
        <source>device→host copy</source>
        <translation>设备→主机拷贝</translation>
    </message>
    <message>
        <source>What shared memory buys: cuda vs cuda-tiled</source>
        <translation>共享内存带来什么：cuda 对比 cuda-tiled</translation>
    </message>
    <message>
        <source>GB/s moved, kernel only</source>
        <translation>数据吞吐 GB/s（仅内核）</translation>
    </message>
    <message>
        <source>cuda (one thread per cell)</source>
        <translation>cuda（每个单元一个线程）</translation>
    </message>
    <message>
        <source>cuda-tiled (shared memory), ×speed-up</source>
        <translation>cuda-tiled（共享内存），×加速比</translation>
    </message>
    <message>
        <source>copy bandwidth {gbps:,.0f} GB/s</source>
        <translation>拷贝带宽 {gbps:,.0f} GB/s</translation>
    </message>
    <message>
        <source>, {n} ch</source>
        <translation>，{n} 通道</translation>
    </message>
    <message>
        <source>GPU wins from ≈{side}×{side} →</source>
        <translation>从约 {side}×{side} 起 GPU 更快 →</translation>
    </message>
    <message>
        <source>No crossover to show: there is no GPU curve yet.</source>
        <translation>没有交叉点可显示：还没有 GPU 曲线。</translation>
    </message>
    <message>
        <source>The machine was busy (load {load} on {cores} cores): other programs used the CPU.</source>
        <translation>机器繁忙（{cores} 个核心上负载 {load}）：其他程序在使用 CPU。</translation>
    </message>
    <message>
        <source>{n} points spread by more than {pct} between runs.</source>
        <translation>{n} 个点在多次运行之间的离散超过 {pct}。</translation>
    </message>
    <message>
        <source>{name} ({k}×{k}) took less time at {big}² than at {small}²: not monotonic.</source>
        <translation>{name}（{k}×{k}）在 {big}² 上比在 {small}² 上用时更少：不单调。</translation>
    </message>
    <message>
        <source>Noise:</source>
        <translation>噪声：</translation>
    </message>
    <message>
        <source>Sweep again on an idle machine.</source>
        <translation>请在空闲的机器上重新扫描。</translation>
    </message>
    <message>
        <source>This machine</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Measured on {gpu}, {date}</source>
        <translation>测于 {gpu}，{date}</translation>
    </message>
    <message>
        <source>, against this machine&apos;s CPU</source>
        <translation>，对比本机 CPU</translation>
    </message>
    <message>
        <source>no size was measured on both the GPU and the CPU.</source>
        <translation>没有哪个尺寸同时在 GPU 和 CPU 上测过。</translation>
    </message>
    <message>
        <source>the GPU wins at every size measured, even at {size}×{size} ({gpu} with copies, against {cpu} for {cpu_name}).</source>
        <translation>在所有测过的尺寸上 GPU 都更快，即使在 {size}×{size} 也是如此（GPU 含拷贝 {gpu}，{cpu_name} 为 {cpu}）。</translation>
    </message>
    <message>
        <source>within these sizes the GPU never wins; at {size}×{size} it takes {gpu} with copies, against {cpu} for {cpu_name}.</source>
        <translation>在这些尺寸内 GPU 从未胜出；在 {size}×{size} 时 GPU 含拷贝耗时 {gpu}，{cpu_name} 为 {cpu}。</translation>
    </message>
    <message>
        <source>no clear crossover; the GPU wins at some sizes but not at the largest, {size}×{size} ({gpu} against {cpu}).</source>
        <translation>没有明确的交叉点；GPU 在部分尺寸上更快，但在最大的 {size}×{size} 上不是（{gpu} 对比 {cpu}）。</translation>
    </message>
    <message>
        <source>the GPU wins from about {side}×{side} ({px} pixels): below that, copying the data to the GPU and back ({copies} at {size}×{size}) costs more than the CPU&apos;s whole convolution ({cpu}, {cpu_name}).</source>
        <translation>从约 {side}×{side}（{px} 像素）起 GPU 更快：在此之下，把数据拷到 GPU 再拷回（{size}×{size} 时为 {copies}）比 CPU 完成整个卷积（{cpu}，{cpu_name}）还要费时。</translation>
    </message>
    <message>
        <source>the GPU wins from about {side}×{side} ({px} pixels): below that its fixed costs (copies {copies}, launch) outweigh the work it saves; at {size}×{size} it takes {gpu} against {cpu} for {cpu_name}.</source>
        <translation>从约 {side}×{side}（{px} 像素）起 GPU 更快：在此之下，它的固定开销（拷贝 {copies}、启动）超过了它节省的计算；在 {size}×{size} 时 GPU 耗时 {gpu}，{cpu_name} 为 {cpu}。</translation>
    </message>
    <message>
        <source>{where}:</source>
        <translation>{where}：</translation>
    </message>
    <message>
        <source>Opened {name}: measured on {machine}, {date}; {n} curves.</source>
        <translation>已打开 {name}：测于 {machine}，{date}；共 {n} 条曲线。</translation>
    </message>
    <message>
        <source>{n} of its rows ran on Numba&apos;s CUDA simulator: not GPU timings, not drawn.</source>
        <translation>其中 {n} 行运行在 Numba 的 CUDA 模拟器上：不是 GPU 计时，未绘出。</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.gif *.pgm *.ppm *.pnm *.npy)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.gif *.pgm *.ppm *.pnm *.npy)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>PNG as displayed, 8-bit colour (*.png)</source>
        <translation>PNG，按显示效果，8 位彩色 (*.png)</translation>
    </message>
    <message>
        <source>TIFF, exact float32, one channel (*.tif *.tiff)</source>
        <translation>TIFF，精确 float32，单通道 (*.tif *.tiff)</translation>
    </message>
    <message>
        <source>NumPy, exact float32 (*.npy)</source>
        <translation>NumPy，精确 float32 (*.npy)</translation>
    </message>
    <message>
        <source>1 channel</source>
        <translation>1 个通道</translation>
    </message>
    <message>
        <source>{0} channels</source>
        <translation>{0} 个通道</translation>
    </message>
    <message>
        <source> {0}-bit</source>
        <translation> {0} 位</translation>
    </message>
    <message>
        <source>{0} {1}×{2}, {3}{4} → {5}</source>
        <translation>{0} {1}×{2}，{3}{4} → {5}</translation>
    </message>
    <message>
        <source>; alpha dropped</source>
        <translation>；已去除 alpha 通道</translation>
    </message>
    <message>
        <source>; EXIF orientation applied</source>
        <translation>；已按 EXIF 方向旋转</translation>
    </message>
    <message>
        <source>; frame 1 of {0}</source>
        <translation>；第 1 帧（共 {0} 帧）</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Drag the region the lesson animates; drag its corner to resize it</source>
        <translation>拖动课程演示的区域；拖动它的角可改变大小</translation>
    </message>
    <message>
        <source>The region the lesson animates</source>
        <translation>课程演示的区域</translation>
    </message>
    <message>
        <source>not run yet</source>
        <translation>尚未运行</translation>
    </message>
    <message>
        <source>identical</source>
        <translation>完全相同</translation>
    </message>
    <message>
        <source>equal within float32 rounding</source>
        <translation>在 float32 舍入误差内相等</translation>
    </message>
    <message>
        <source>DIFFERENT</source>
        <translation>不相同</translation>
    </message>
    <message>
        <source>different shapes {0}</source>
        <translation>形状不同 {0}</translation>
    </message>
    <message>
        <source>not run yet: press “Run in parallel”</source>
        <translation>尚未运行：请按“并行运行”</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已被取消</translation>
    </message>
    <message>
        <source>vs sequential: max |Δ| = {0}, {1}</source>
        <translation>与顺序栏相比：max |Δ| = {0}，{1}</translation>
    </message>
    <message>
        <source>grid {0} × block {1} = {2} threads, {3} cells per thread, tile {4}×{5}</source>
        <translation>网格 {0} × 线程块 {1} = {2} 个线程，每个线程 {3} 个单元，分块 {4}×{5}</translation>
    </message>
    <message>
        <source>the tile does not fit in shared memory: the one-thread-per-cell kernel ran instead</source>
        <translation>分块放不进共享内存：改为运行每个单元一个线程的内核</translation>
    </message>
    <message>
        <source>Shared memory saves nothing on the simulator: this time says nothing about what tiling buys on a GPU.</source>
        <translation>在模拟器上共享内存省不了任何东西：这个时间说明不了分块在 GPU 上能带来什么。</translation>
    </message>
    <message>
        <source>A lesson this small is all launch overhead: View → Benchmark shows what shared memory buys on large images.</source>
        <translation>这么小的课程几乎全是启动开销：视图 → 基准测试 才能显示共享内存在大图像上带来什么。</translation>
    </message>
    <message>
        <source>top {0}, bottom {1}, left {2}, right {3}</source>
        <translation>上 {0}，下 {1}，左 {2}，右 {3}</translation>
    </message>
    <message>
        <source>PyTorch {0} = numpy {1} = scipy {2}</source>
        <translation>PyTorch {0} = numpy {1} = scipy {2}</translation>
    </message>
    <message>
        <source>Padded cell ({0},{1}) is a zero: zero padding copies nothing.</source>
        <translation>填充单元 ({0},{1}) 为 0：零填充不复制任何值。</translation>
    </message>
    <message>
        <source>Padded cell ({0},{1}) copies x[{2},{3}] = {4} ({5}: {6}).</source>
        <translation>填充单元 ({0},{1}) 复制 x[{2},{3}] = {4}（{5}：{6}）。</translation>
    </message>
    <message>
        <source>no padding</source>
        <translation>无填充</translation>
    </message>
    <message>
        <source>padding {0} ({1}, hatched)</source>
        <translation>填充 {0}（{1}，斜线标出）</translation>
    </message>
    <message>
        <source>Input {0}, {1}×{2}, {3}</source>
        <translation>输入 {0}，{1}×{2}，{3}</translation>
    </message>
    <message>
        <source>Input {0}×{1}, {2}</source>
        <translation>输入 {0}×{1}，{2}</translation>
    </message>
    <message>
        <source>Input: {0} channels of {1}×{2}, no padding</source>
        <translation>输入：{0} 个 {1}×{2} 通道，无填充</translation>
    </message>
    <message>
        <source>Input: {0} channels of {1}×{2}, padding {3} ({4}, hatched)</source>
        <translation>输入：{0} 个 {1}×{2} 通道，填充 {3}（{4}，斜线标出）</translation>
    </message>
    <message>
        <source>Kernel {0}×{1} · {2} rotated 180° (convolution), dilation {3}</source>
        <translation>卷积核 {0}×{1} · {2}，旋转 180°（卷积），膨胀 {3}</translation>
    </message>
    <message>
        <source>Kernel {0}×{1} · {2} rotated 180° (convolution)</source>
        <translation>卷积核 {0}×{1} · {2}，旋转 180°（卷积）</translation>
    </message>
    <message>
        <source>Kernel {0}×{1} · {2}, dilation {3}</source>
        <translation>卷积核 {0}×{1} · {2}，膨胀 {3}</translation>
    </message>
    <message>
        <source>Kernel {0}×{1} · {2}</source>
        <translation>卷积核 {0}×{1} · {2}</translation>
    </message>
    <message>
        <source>Filter of out {0}: {1} kernels {2}×{3}, rotated 180° (convolution)</source>
        <translation>输出 {0} 的滤波器：{1} 个 {2}×{3} 卷积核，旋转 180°（卷积）</translation>
    </message>
    <message>
        <source>Filter of out {0}: {1} kernels {2}×{3}</source>
        <translation>输出 {0} 的滤波器：{1} 个 {2}×{3} 卷积核</translation>
    </message>
    <message>
        <source>Output {0}×{1}, stride {2}</source>
        <translation>输出 {0}×{1}，步幅 {2}</translation>
    </message>
    <message>
        <source>Output {0}×{1}</source>
        <translation>输出 {0}×{1}</translation>
    </message>
    <message>
        <source>Output: {0} channels of {1}×{2}, stride {3}</source>
        <translation>输出：{0} 个 {1}×{2} 通道，步幅 {3}</translation>
    </message>
    <message>
        <source>Output: {0} channels of {1}×{2}</source>
        <translation>输出：{0} 个 {1}×{2} 通道</translation>
    </message>
    <message>
        <source>groups = 1: every input channel feeds every output channel</source>
        <translation>groups = 1：每个输入通道都参与每个输出通道</translation>
    </message>
    <message>
        <source>groups = {0} (depthwise): input channel i feeds output channel i only</source>
        <translation>groups = {0}（逐通道）：输入通道 i 只参与输出通道 i</translation>
    </message>
    <message>
        <source>groups = {0}: each output channel reads {1} of the {2} input channels</source>
        <translation>groups = {0}：每个输出通道读取 {2} 个输入通道中的 {1} 个</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Play&lt;/b&gt; (Space) or &lt;b&gt;→&lt;/b&gt; to slide the kernel: {0} output cells, each summed over {1} input channels, then its bias.</source>
        <translation>按&lt;b&gt;播放&lt;/b&gt;（空格）或 &lt;b&gt;→&lt;/b&gt; 滑动卷积核：共 {0} 个输出单元，每个对 {1} 个输入通道求和，再加偏置。</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Play&lt;/b&gt; (Space) or &lt;b&gt;→&lt;/b&gt; to slide the kernel: {0} output cells, one after another.</source>
        <translation>按&lt;b&gt;播放&lt;/b&gt;（空格）或 &lt;b&gt;→&lt;/b&gt; 滑动卷积核：共 {0} 个输出单元，逐个计算。</translation>
    </message>
    <message>
        <source>per channel {0} + bias {1} = {2} (cell {3} of {4})</source>
        <translation>各通道 {0} + 偏置 {1} = {2}（第 {3} 个单元，共 {4} 个）</translation>
    </message>
    <message>
        <source>per channel {0} = {1} (cell {2} of {3})</source>
        <translation>各通道 {0} = {1}（第 {2} 个单元，共 {3} 个）</translation>
    </message>
    <message>
        <source>running sum: {0} + bias {1} = {2}  (cell {3} of {4})</source>
        <translation>累加和：{0} + 偏置 {1} = {2}（第 {3} 个单元，共 {4} 个）</translation>
    </message>
    <message>
        <source>running sum: {0} = {1}  (cell {2} of {3})</source>
        <translation>累加和：{0} = {1}（第 {2} 个单元，共 {3} 个）</translation>
    </message>
    <message>
        <source>out[{0}] = {1} + bias {2} = {3}</source>
        <translation>out[{0}] = {1} + 偏置 {2} = {3}</translation>
    </message>
    <message>
        <source>per channel {0} + bias {1} = {2} (cell {3} of {4}, done)</source>
        <translation>各通道 {0} + 偏置 {1} = {2}（第 {3} 个单元，共 {4} 个，完成）</translation>
    </message>
    <message>
        <source>channel {0}: {1} = {2}</source>
        <translation>通道 {0}：{1} = {2}</translation>
    </message>
    <message>
        <source>bias {0}</source>
        <translation>偏置 {0}</translation>
    </message>
    <message>
        <source>out[{0}]: per channel {1} = {2} so far; still to add: {3} (cell {4} of {5}, channel {6} of {7})</source>
        <translation>out[{0}]：各通道 {1}，目前为 {2}；还要加上：{3}（第 {4} 个单元，共 {5} 个；第 {6} 个通道，共 {7} 个）</translation>
    </message>
    <message>
        <source>+ bias</source>
        <translation>+ 偏置</translation>
    </message>
    <message>
        <source>r, c = {0},{1}</source>
        <translation>r, c = {0},{1}</translation>
    </message>
    <message>
        <source>convolution (kernel rotated 180°): w[i,j] meets {0}; {1} ({2})</source>
        <translation>卷积（卷积核旋转 180°）：w[i,j] 对应 {0}；{1}（{2}）</translation>
    </message>
    <message>
        <source>cross-correlation: w[i,j] meets {0}; {1} ({2})</source>
        <translation>互相关：w[i,j] 对应 {0}；{1}（{2}）</translation>
    </message>
    <message>
        <source>Σ {0}</source>
        <translation>Σ {0}</translation>
    </message>
    <message>
        <source>w[{0},{1}] meets x[r{2},c{3}]</source>
        <translation>w[{0},{1}] 对应 x[r{2},c{3}]</translation>
    </message>
    <message>
        <source>w[{0},{1}] meets x[{2},{3}]</source>
        <translation>w[{0},{1}] 对应 x[{2},{3}]</translation>
    </message>
    <message>
        <source>r, c = the window&apos;s centre</source>
        <translation>r, c = 窗口中心</translation>
    </message>
    <message>
        <source>launch: grid {0} × block {1} = {2} threads for {3} cells; {4} fall outside the {5}×{6} output and idle (hatched)</source>
        <translation>启动：网格 {0} × 线程块 {1} = {2} 个线程，计算 {3} 个单元；其中 {4} 个落在 {5}×{6} 的输出之外，处于空闲（斜线标出）</translation>
    </message>
    <message>
        <source>launch: grid {0} × block {1} = {2} threads for {3} cells</source>
        <translation>启动：网格 {0} × 线程块 {1} = {2} 个线程，计算 {3} 个单元</translation>
    </message>
    <message>
        <source>Every cell of every output channel at once; blockIdx.z is the output channel. Hover or click an output cell to see which thread computed it.</source>
        <translation>所有输出通道的所有单元同时计算；blockIdx.z 即输出通道。将鼠标悬停或点击输出单元，可查看是哪个线程计算了它。</translation>
    </message>
    <message>
        <source>Hover or click an output cell to see which thread computed it.</source>
        <translation>将鼠标悬停或点击输出单元，可查看是哪个线程计算了它。</translation>
    </message>
    <message>
        <source>out[{0}] = {1} ← thread blockIdx {2}, threadIdx {3}</source>
        <translation>out[{0}] = {1} ← 线程 blockIdx {2}，threadIdx {3}</translation>
    </message>
    <message>
        <source>Invalid setting — {0}. The picture shows the last valid lesson.</source>
        <translation>设置无效——{0}。画面显示的是上一个有效的课程。</translation>
    </message>
    <message>
        <source>H_out = {0}</source>
        <translation>H_out = {0}</translation>
    </message>
    <message>
        <source>W_out = {0}</source>
        <translation>W_out = {0}</translation>
    </message>
    <message>
        <source>Output: {0} channels of {1}×{2}, all at once (outline = {3}×{4} tile)</source>
        <translation>输出：{0} 个 {1}×{2} 的通道，同时计算（边框 = {3}×{4} 分块）</translation>
    </message>
    <message>
        <source>Output {0}×{1}, all at once (outline = {2}×{3} tile)</source>
        <translation>输出 {0}×{1}，同时计算（边框 = {2}×{3} 分块）</translation>
    </message>
    <message>
        <source>tiled launch: grid {0} × block {1} = {2} threads, {3} cells per thread, tile {4}×{5}</source>
        <translation>分块启动：网格 {0} × 线程块 {1} = {2} 个线程，每个线程 {3} 个单元，分块 {4}×{5}</translation>
    </message>
    <message>
        <source>The tile does not fit in shared memory: the one-thread-per-cell kernel ran instead.</source>
        <translation>分块放不进共享内存：改为运行每个单元一个线程的内核。</translation>
    </message>
    <message>
        <source>Each block copies its input tile and halo into shared memory once, then each thread computes {0} cells from it. Hover or click an output cell.</source>
        <translation>每个线程块把它的输入分块和光环区（边缘）一次性复制到共享内存，然后每个线程从中计算 {0} 个单元。悬停或点击一个输出单元。</translation>
    </message>
    <message>
        <source>{0} and {1}</source>
        <translation>{0} 和 {1}</translation>
    </message>
    <message>
        <source>out[{0}] = {1} ← cell {2} of {3} of threadIdx {4} in blockIdx {5}</source>
        <translation>out[{0}] = {1} ← blockIdx {5} 中 threadIdx {4} 的第 {2} 个单元（共 {3} 个）</translation>
    </message>
    <message>
        <source>a thread computes the consecutive rows {0} of column {1} in output channels {2}</source>
        <translation>一个线程计算第 {1} 列中相邻的第 {0} 行，在输出通道 {2} 中</translation>
    </message>
    <message>
        <source>a thread computes the consecutive rows {0} of column {1}</source>
        <translation>一个线程计算第 {1} 列中相邻的第 {0} 行</translation>
    </message>
    <message>
        <source>this thread computes this cell only (the other rows of its thread fall outside the output)</source>
        <translation>这个线程只计算这个单元（它的其他行落在输出之外）</translation>
    </message>
    <message>
        <source>blockIdx {0} copied padded input rows {1}–{2}, columns {3}–{4} into shared memory (blue): its {5}×{6} tile&apos;s inputs plus a halo of {7} rows and {8} columns</source>
        <translation>blockIdx {0} 把填充后输入的第 {1}–{2} 行、第 {3}–{4} 列复制到共享内存（蓝框）：它的 {5}×{6} 分块所需的输入，加上 {7} 行和 {8} 列的光环区（边缘）</translation>
    </message>
    <message>
        <source>This machine has an NVIDIA GPU: the sweep times cuda and cuda-tiled too.</source>
        <translation>本机有 NVIDIA GPU：扫描也会为 cuda 和 cuda-tiled 计时。</translation>
    </message>
    <message>
        <source>No NVIDIA GPU here: the GPU curves are from a recorded benchmark, beside this machine&apos;s CPU curves.</source>
        <translation>本机没有 NVIDIA GPU：GPU 曲线来自记录下来的基准测试，与本机的 CPU 曲线并列显示。</translation>
    </message>
    <message>
        <source>GPU curves need an NVIDIA GPU — open a recorded GPU benchmark (JSON). This machine has none: {reason}</source>
        <translation>GPU 曲线需要 NVIDIA GPU——请打开记录下来的 GPU 基准测试（JSON）。本机没有：{reason}</translation>
    </message>
    <message>
        <source>Open a benchmark recorded on a GPU machine</source>
        <translation>打开在 GPU 机器上记录的基准测试</translation>
    </message>
    <message>
        <source>Benchmark JSON (*.json);;All files (*)</source>
        <translation>基准测试 JSON (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export the points as CSV</source>
        <translation>将数据点导出为 CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export the plot as PNG</source>
        <translation>将图表导出为 PNG</translation>
    </message>
    <message>
        <source>PNG (*.png)</source>
        <translation>PNG (*.png)</translation>
    </message>
    <message>
        <source>The sweep doubles the side from 16 up to this; the largest offered fits this machine&apos;s memory</source>
        <translation>扫描时边长从 16 开始每次加倍，直到此值；可选的最大值能放进本机内存</translation>
    </message>
    <message>
        <source>Timed runs per point (after one warm-up); the plot shows their median</source>
        <translation>每个点计时运行的次数（先预热一次）；图中显示其中位数</translation>
    </message>
    <message>
        <source>▶ Run sweep</source>
        <translation>▶ 运行扫描</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Open GPU benchmark (JSON)…</source>
        <translation>打开 GPU 基准测试（JSON）…</translation>
    </message>
    <message>
        <source>Forget recorded</source>
        <translation>清除已记录的结果</translation>
    </message>
    <message>
        <source>Which kernel&apos;s curves to show</source>
        <translation>显示哪个卷积核的曲线</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>sizes 16² up to</source>
        <translation>尺寸从 16² 到</translation>
    </message>
    <message>
        <source>repeats</source>
        <translation>重复次数</translation>
    </message>
    <message>
        <source>show kernel</source>
        <translation>显示卷积核</translation>
    </message>
    <message>
        <source>Exported {0} frames to {1}</source>
        <translation>已导出 {0} 帧到 {1}</translation>
    </message>
    <message>
        <source>Copied the code to the clipboard</source>
        <translation>代码已复制到剪贴板</translation>
    </message>
    <message>
        <source>{0} core</source>
        <translation>{0} 个核心</translation>
    </message>
    <message>
        <source>{0} cores</source>
        <translation>{0} 个核心</translation>
    </message>
    <message>
        <source>first measured</source>
        <translation>实测第一</translation>
    </message>
    <message>
        <source>second measured</source>
        <translation>实测第二</translation>
    </message>
    <message>
        <source>third measured</source>
        <translation>实测第三</translation>
    </message>
    <message>
        <source>first in ticks</source>
        <translation>按拍数第一</translation>
    </message>
    <message>
        <source>second in ticks</source>
        <translation>按拍数第二</translation>
    </message>
    <message>
        <source>third in ticks</source>
        <translation>按拍数第三</translation>
    </message>
    <message>
        <source>{0}, level within the spread</source>
        <translation>{0}，在离散范围内持平</translation>
    </message>
    <message>
        <source>done in {0} ticks</source>
        <translation>用 {0} 拍完成</translation>
    </message>
    <message>
        <source>copying the input to the GPU…</source>
        <translation>正在把输入拷贝到 GPU…</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <source>copying the output back…</source>
        <translation>正在把输出拷贝回来…</translation>
    </message>
    <message>
        <source>{0} · {1} of {2} cells</source>
        <translation>{0} · {1}/{2} 个单元格</translation>
    </message>
    <message>
        <source>measuring on this machine…</source>
        <translation>正在本机上测量…</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <source>not measured: {0}</source>
        <translation>未测量：{0}</translation>
    </message>
    <message>
        <source>measured:</source>
        <translation>实测：</translation>
    </message>
    <message>
        <source>{0} on {1}</source>
        <translation>{0} 运行于 {1}</translation>
    </message>
    <message>
        <source>measured ({0}):</source>
        <translation>实测（{0}）：</translation>
    </message>
    <message>
        <source>{0} SMs × {1} cores</source>
        <translation>{0} 个 SM × {1} 个核心</translation>
    </message>
    <message>
        <source>{0} — this machine&apos;s GPU: {1}</source>
        <translation>{0} — 本机 GPU：{1}</translation>
    </message>
    <message>
        <source>{0} — {1}, from the benchmark recorded in {2}</source>
        <translation>{0} — {1}，来自记录的基准测试 {2}</translation>
    </message>
    <message>
        <source>an EXAMPLE, not this machine: {0}, {1}</source>
        <translation>示例，并非本机：{0}，{1}</translation>
    </message>
    <message>
        <source>copy in {0} ({1} ticks) · copy out {2} ({3} ticks)</source>
        <translation>拷入 {0}（{1} 拍）· 拷出 {2}（{3} 拍）</translation>
    </message>
    <message>
        <source>{0}, measured on this GPU</source>
        <translation>{0}，在本机 GPU 上实测</translation>
    </message>
    <message>
        <source>{0}, from the recorded benchmark: {1} a copy + {2} GB/s</source>
        <translation>{0}，来自记录的基准测试：每次拷贝 {1} + {2} GB/s</translation>
    </message>
    <message>
        <source>{0}, assumed, not measured</source>
        <translation>{0}，假设值，非实测</translation>
    </message>
    <message>
        <source>{0}, assumed, not measured: a PCIe 4.0 ×16 link, {1} GB/s and {2} a copy</source>
        <translation>{0}，假设值，非实测：PCIe 4.0 ×16 链路，{1} GB/s，每次拷贝 {2}</translation>
    </message>
    <message>
        <source>one core of this CPU ({0}): the cores&apos; loop on one thread, row after row</source>
        <translation>本机 CPU（{0}）的一个核心：多核的同一循环在一个线程上逐行运行</translation>
    </message>
    <message>
        <source>{0} ticks: a cell a tick (the model)</source>
        <translation>{0} 拍：每拍一个单元格（模型）</translation>
    </message>
    <message>
        <source>{0} ticks: the cores take {1} cells (the model)</source>
        <translation>{0} 拍：各核心分别计算 {1} 个单元格（模型）</translation>
    </message>
    <message>
        <source>1 tick = one cell on one core = {0}, measured on a {1}×{1} input (the cores&apos; loop on one thread: fastest run / cells)</source>
        <translation>1 拍 = 单核计算一个单元格 = {0}，在 {1}×{1} 输入上实测（多核循环在一个线程上：最快一次的时间 / 单元格数）</translation>
    </message>
    <message>
        <source>this CPU: {0}; core k takes the k-th stretch of rows (numba&apos;s schedule)</source>
        <translation>本机 CPU：{0}；第 k 个核心处理第 k 段连续的行（numba 的调度）</translation>
    </message>
    <message>
        <source>{0} ticks: {1} blocks of {2}×{3} threads = {4} warps of 32 on {5} SMs; computing: {6}</source>
        <translation>{0} 拍：{1} 个 {2}×{3} 线程的线程块 = {4} 个 32 线程的 warp，分布在 {5} 个 SM 上；计算：{6}</translation>
    </message>
    <message>
        <source>1 tick</source>
        <translation>1 拍</translation>
    </message>
    <message>
        <source>{0} ticks</source>
        <translation>{0} 拍</translation>
    </message>
    <message>
        <source>1 tick = one cell on one core ≈ {0}, assumed until measured</source>
        <translation>1 拍 = 单核计算一个单元格 ≈ {0}，实测前为假设值</translation>
    </message>
    <message>
        <source>1 tick = one cell on one core = {0}, measured</source>
        <translation>1 拍 = 单核计算一个单元格 = {0}，实测</translation>
    </message>
    <message>
        <source>The GPU&apos;s copies</source>
        <translation>GPU 的拷贝</translation>
    </message>
    <message>
        <source>The lanes move in ticks, a model; “in ticks” places are the model&apos;s. Measured lines time the same loop on 1 core and on all, in interleaved rounds; a lane with a measured time is placed by it.</source>
        <translation>各栏按拍数推进，这是一个模型；“按拍数”的名次来自模型。实测行在 1 个核心和全部核心上交替轮流计时同一个循环；有实测时间的栏按实测时间排名。</translation>
    </message>
    <message>
        <source>The GPU&apos;s copies take {0} of the race&apos;s time. A GPU core is drawn as fast as a CPU core; really it is slower, but there are thousands.</source>
        <translation>GPU 的数据拷贝占赛程时间的 {0}。图中 GPU 核心与 CPU 核心一样快；实际上它更慢，但数量成千上万。</translation>
    </message>
    <message>
        <source>tick {0} of {1} · {2}</source>
        <translation>第 {0} 拍，共 {1} 拍 · {2}</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>The race: one core · this CPU&apos;s {0} cores · a GPU</source>
        <translation>赛跑：单核 · 本机 CPU 的 {0} 个核心 · GPU</translation>
    </message>
    <message>
        <source>input:</source>
        <translation>输入：</translation>
    </message>
    <message>
        <source>⟲ Again</source>
        <translation>⟲ 重来</translation>
    </message>
    <message>
        <source>Measure again</source>
        <translation>重新测量</translation>
    </message>
    <message>
        <source>← Lesson (C)</source>
        <translation>← 课程（C）</translation>
    </message>
    <message>
        <source>the lesson&apos;s {0}×{1}</source>
        <translation>课程的 {0}×{1}</translation>
    </message>
</context>
<context>
    <name>BenchWindow</name>
    <message>
        <source>convviz — benchmark: when does the GPU win?</source>
        <translation>convviz — 基准测试：GPU 何时胜出？</translation>
    </message>
    <message>
        <source>box blur (no kernel was given yet)</source>
        <translation>方框模糊（尚未给出卷积核）</translation>
    </message>
    <message>
        <source> (first of its {n} channel slices)</source>
        <translation>（其 {n} 个通道切片中的第一个）</translation>
    </message>
    <message>
        <source>the current kernel</source>
        <translation>当前卷积核</translation>
    </message>
    <message>
        <source>The kernel changed, so the sweep was cancelled</source>
        <translation>卷积核已改变，扫描已取消</translation>
    </message>
    <message>
        <source>The kernel is larger than every size to sweep.</source>
        <translation>卷积核比所有要扫描的尺寸都大。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Cannot open the benchmark</source>
        <translation>无法打开基准测试</translation>
    </message>
    <message>
        <source>Measuring {step} ({done} of {total})…</source>
        <translation>正在测量 {step}（{done} / {total}）…</translation>
    </message>
    <message>
        <source>Sweep finished: {n} points measured.</source>
        <translation>扫描完成：测量了 {n} 个点。</translation>
    </message>
    <message>
        <source>{why} after {n} of {total} points; the points measured are kept.</source>
        <translation>{why}，已完成 {n} / {total} 个点；已测量的点会保留。</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>The sweep failed: {error}</source>
        <translation>扫描失败：{error}</translation>
    </message>
    <message>
        <source>{name} skipped: {reason}</source>
        <translation>已跳过 {name}：{reason}</translation>
    </message>
    <message>
        <source>Kernel {h}×{w}: {note}</source>
        <translation>卷积核 {h}×{w}：{note}</translation>
    </message>
    <message>
        <source>, {n} channels</source>
        <translation>，{n} 个通道</translation>
    </message>
    <message>
        <source>Press “▶ Run sweep” to time this machine&apos;s CPU,
or open a benchmark recorded on a GPU machine</source>
        <translation>按“▶ 运行扫描”为本机 CPU 计时，
或打开在 GPU 机器上记录的基准测试</translation>
    </message>
    <message>
        <source>No GPU phases yet: they come from a GPU run
(this machine&apos;s, or a recorded convviz bench JSON)</source>
        <translation>还没有 GPU 各阶段的数据：它们来自一次 GPU 运行
（本机的，或记录下来的 convviz bench JSON）</translation>
    </message>
    <message>
        <source>cuda vs cuda-tiled needs GPU timings of both
(scripts/gpu_bench.py records them)</source>
        <translation>cuda 与 cuda-tiled 的比较需要两者的 GPU 计时
（由 scripts/gpu_bench.py 记录）</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>不能保存</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
</context>
<context>
    <name>CheckedSpin</name>
    <message>
        <source>{0}: {1} is out of range, allowed {2} to {3}; kept {4}</source>
        <translation>{0}：{1} 超出范围，允许 {2} 到 {3}；保留 {4}</translation>
    </message>
</context>
<context>
    <name>CodeDialog</name>
    <message>
        <source>The convolution as PyTorch code</source>
        <translation>以 PyTorch 代码表示的卷积</translation>
    </message>
    <message>
        <source>The convolution as numpy + scipy code</source>
        <translation>以 numpy + scipy 代码表示的卷积</translation>
    </message>
    <message>
        <source>Copied to the clipboard. Run it: it leaves the result in out, the values the app shows.</source>
        <translation>已复制到剪贴板。运行它：结果保存在 out 中，与本应用显示的数值相同。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Save the arrays…</source>
        <translation>保存数组…</translation>
    </message>
    <message>
        <source>Write x.npy, w.npy and b.npy into a folder: the snippet loads the arrays too large to write out</source>
        <translation>把 x.npy、w.npy 和 b.npy 写入一个文件夹：代码片段会加载那些太大、无法直接写出的数组</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save the arrays into</source>
        <translation>将数组保存到</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Wrote {0} in {1}: run the snippet in that folder.</source>
        <translation>已将 {0} 写入 {1}：请在该文件夹中运行代码片段。</translation>
    </message>
</context>
<context>
    <name>ComputeRunner</name>
    <message>
        <source>compiling the CPU kernels for {0}… {1} s</source>
        <translation>正在编译 {0} 的 CPU 内核… {1} 秒</translation>
    </message>
    <message>
        <source>compiling the CUDA kernel for {0}… {1} s</source>
        <translation>正在编译 {0} 的 CUDA 内核… {1} 秒</translation>
    </message>
</context>
<context>
    <name>Controls</name>
    <message>
        <source>cross-correlation (deep learning)</source>
        <translation>互相关（深度学习）</translation>
    </message>
    <message>
        <source>convolution (kernel rotated 180°)</source>
        <translation>卷积（卷积核旋转 180°）</translation>
    </message>
    <message>
        <source>New random</source>
        <translation>重新随机</translation>
    </message>
    <message>
        <source>click a cell of the input or kernel</source>
        <translation>点击输入或卷积核的一个单元</translation>
    </message>
    <message>
        <source>bias per output channel</source>
        <translation>每个输出通道的偏置</translation>
    </message>
    <message>
        <source>3 → 2 channels, as in the article</source>
        <translation>3 → 2 个通道，与文章中相同</translation>
    </message>
    <message>
        <source>A 5×5 input of 3 channels, 2 output channels, a different 3×3 kernel for every pair, a bias</source>
        <translation>5×5 的 3 通道输入，2 个输出通道，每一对通道各有一个不同的 3×3 卷积核，外加偏置</translation>
    </message>
    <message>
        <source>custom (typed)</source>
        <translation>自定义（手动输入）</translation>
    </message>
    <message>
        <source>1 channel</source>
        <translation>1 个通道</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>ramp</source>
        <translation>渐变</translation>
    </message>
    <message>
        <source>checkerboard</source>
        <translation>棋盘格</translation>
    </message>
    <message>
        <source>all zeros</source>
        <translation>全零</translation>
    </message>
    <message>
        <source>Back to the first lesson: one 8×8 channel</source>
        <translation>回到第一课：一个 8×8 通道</translation>
    </message>
    <message>
        <source>random small integers</source>
        <translation>随机小整数</translation>
    </message>
    <message>
        <source>A different kernel of small integers for every (output, input) channel pair</source>
        <translation>每一对（输出，输入）通道各用一个不同的小整数卷积核</translation>
    </message>
    <message>
        <source>rows with &apos;;&apos;, e.g. 1 0 -1; 2 0 -2; 1 0 -1</source>
        <translation>各行用 &apos;;&apos; 分隔，例如 1 0 -1; 2 0 -2; 1 0 -1</translation>
    </message>
    <message>
        <source>Type the kernel and press Enter: rows separated by &apos;;&apos;, numbers or fractions like 1/9. Every (output, input) channel pair gets it.</source>
        <translation>输入卷积核后按回车：各行用 &apos;;&apos; 分隔，可以是数字或 1/9 这样的分数。每一对（输出，输入）通道都使用它。</translation>
    </message>
    <message>
        <source>The same padding in PyTorch, numpy.pad and scipy.ndimage. scipy&apos;s &apos;reflect&apos; (numpy &apos;symmetric&apos;) repeats the edge pixel: a different mode.</source>
        <translation>同一种填充在 PyTorch、numpy.pad 和 scipy.ndimage 中的名称。scipy 的 &apos;reflect&apos;（numpy 的 &apos;symmetric&apos;）会重复边缘像素：那是另一种模式。</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列数</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Cell value</source>
        <translation>单元数值</translation>
    </message>
    <message>
        <source>Input channels</source>
        <translation>输入通道数</translation>
    </message>
    <message>
        <source>Output channels</source>
        <translation>输出通道数</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>分组数 (groups)</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Sigma</source>
        <translation>Sigma</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>步幅</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Padding mode</source>
        <translation>填充模式</translation>
    </message>
    <message>
        <source>Dilation</source>
        <translation>膨胀</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>通道设置</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>Geometry</source>
        <translation>几何参数</translation>
    </message>
    <message>
        <source>editing input channel {0} [{1},{2}] (type a value, Enter)</source>
        <translation>正在编辑输入通道 {0} [{1},{2}]（输入数值后按回车）</translation>
    </message>
    <message>
        <source>editing input[{0},{1}] (type a value, Enter)</source>
        <translation>正在编辑 input[{0},{1}]（输入数值后按回车）</translation>
    </message>
    <message>
        <source>editing kernel[{0},{1}], shared by every channel pair (type a value, Enter)</source>
        <translation>正在编辑 kernel[{0},{1}]，所有通道对共用（输入数值后按回车）</translation>
    </message>
    <message>
        <source>editing the kernel of out {0} · in {1} [{2},{3}] (type a value, Enter)</source>
        <translation>正在编辑输出 {0} · 输入 {1} 的卷积核 [{2},{3}]（输入数值后按回车）</translation>
    </message>
    <message>
        <source>editing kernel[{0},{1}] (type a value, Enter)</source>
        <translation>正在编辑 kernel[{0},{1}]（输入数值后按回车）</translation>
    </message>
    <message>
        <source>{0} (depthwise)</source>
        <translation>{0}（逐通道）</translation>
    </message>
</context>
<context>
    <name>DeckPlayer</name>
    <message>
        <source>Could not open the deck</source>
        <translation>无法打开讲稿</translation>
    </message>
    <message>
        <source>scene {0} of {1}</source>
        <translation>第 {0} 个场景，共 {1} 个</translation>
    </message>
    <message>
        <source>Scene appended to {0}</source>
        <translation>场景已追加到 {0}</translation>
    </message>
    <message>
        <source>Could not save the scene</source>
        <translation>无法保存场景</translation>
    </message>
    <message>
        <source>Open a deck</source>
        <translation>打开讲稿</translation>
    </message>
    <message>
        <source>Decks (*.toml)</source>
        <translation>讲稿 (*.toml)</translation>
    </message>
    <message>
        <source>Append the scene to a deck</source>
        <translation>把场景追加到讲稿</translation>
    </message>
</context>
<context>
    <name>Device</name>
    <message>
        <source>{0} NVIDIA GPU(s) found</source>
        <translation>找到 {0} 个 NVIDIA GPU</translation>
    </message>
    <message>
        <source>no NVIDIA driver found (libcuda could not be loaded)</source>
        <translation>未找到 NVIDIA 驱动（无法加载 libcuda）</translation>
    </message>
    <message>
        <source>the NVIDIA driver did not initialise (cuInit error {0})</source>
        <translation>NVIDIA 驱动未能初始化（cuInit 错误 {0}）</translation>
    </message>
    <message>
        <source>libcuda was found but lacks cuInit</source>
        <translation>找到了 libcuda，但其中没有 cuInit</translation>
    </message>
    <message>
        <source>not available: {0}</source>
        <translation>不可用：{0}</translation>
    </message>
    <message>
        <source>CONVVIZ_DEVICE={0} is not one of {1}; CUDA is off</source>
        <translation>CONVVIZ_DEVICE={0} 不是 {1} 之一；CUDA 已关闭</translation>
    </message>
    <message>
        <source>CUDA turned off by CONVVIZ_DEVICE=off</source>
        <translation>CUDA 已由 CONVVIZ_DEVICE=off 关闭</translation>
    </message>
    <message>
        <source>Numba&apos;s CUDA simulator on the CPU (CONVVIZ_DEVICE=sim)</source>
        <translation>CPU 上的 Numba CUDA 模拟器（CONVVIZ_DEVICE=sim）</translation>
    </message>
    <message>
        <source>Numba&apos;s CUDA simulator on the CPU (NUMBA_ENABLE_CUDASIM=1 was set)</source>
        <translation>CPU 上的 Numba CUDA 模拟器（已设置 NUMBA_ENABLE_CUDASIM=1）</translation>
    </message>
    <message>
        <source>{0}; the CUDA kernel runs on Numba&apos;s simulator on the CPU</source>
        <translation>{0}；CUDA 内核在 CPU 上的 Numba 模拟器中运行</translation>
    </message>
    <message>
        <source>CONVVIZ_DEVICE=gpu but {0}</source>
        <translation>已设置 CONVVIZ_DEVICE=gpu，但{0}</translation>
    </message>
    <message>
        <source>numba was imported before convviz, so the CUDA simulator could not be enabled; set NUMBA_ENABLE_CUDASIM=1 before starting Python</source>
        <translation>numba 在 convviz 之前已被导入，因此无法启用 CUDA 模拟器；请在启动 Python 之前设置 NUMBA_ENABLE_CUDASIM=1</translation>
    </message>
    <message>
        <source>{0}; computing on the CPU</source>
        <translation>{0}；改在 CPU 上计算</translation>
    </message>
    <message>
        <source>Numba&apos;s CUDA simulator failed a one-thread kernel: {0}</source>
        <translation>Numba CUDA 模拟器运行单线程内核失败：{0}</translation>
    </message>
    <message>
        <source>the GPU cannot compile kernels: NVVM (the CUDA compiler library) is missing ({0}); {1}</source>
        <translation>GPU 无法编译内核：缺少 NVVM（CUDA 编译器库）（{0}）；{1}</translation>
    </message>
    <message>
        <source>the GPU cannot compile kernels: NVVM (the CUDA compiler library) is missing or broken ({0}); {1}</source>
        <translation>GPU 无法编译内核：NVVM（CUDA 编译器库）缺失或损坏（{0}）；{1}</translation>
    </message>
    <message>
        <source>the GPU has no free memory for a one-thread kernel ({0}); close the programs using it</source>
        <translation>GPU 没有足够的空闲显存运行单线程内核（{0}）；请关闭正在使用 GPU 的程序</translation>
    </message>
    <message>
        <source>the NVIDIA driver is older than the CUDA toolkit numba-cuda compiles with ({0}); {1}, or update the driver</source>
        <translation>NVIDIA 驱动比 numba-cuda 编译所用的 CUDA 工具包旧（{0}）；{1}，或更新驱动</translation>
    </message>
    <message>
        <source>this GPU&apos;s architecture is not one the installed CUDA toolkit targets ({0}): {1}; {2}</source>
        <translation>已安装的 CUDA 工具包不支持此 GPU 的架构（{0}）：{1}；{2}</translation>
    </message>
    <message>
        <source>numba-cuda could not load the NVIDIA driver ({0}); install the NVIDIA driver</source>
        <translation>numba-cuda 无法加载 NVIDIA 驱动（{0}）；请安装 NVIDIA 驱动</translation>
    </message>
    <message>
        <source>CUDA GPU not usable: {0}: {1} ({2}); {3}</source>
        <translation>CUDA GPU 不可用：{0}: {1}（{2}）；{3}</translation>
    </message>
    <message>
        <source>found {0} and {1}</source>
        <translation>检测到：{0}，{1}</translation>
    </message>
    <message>
        <source>no NVIDIA driver</source>
        <translation>无 NVIDIA 驱动</translation>
    </message>
    <message>
        <source>a driver for CUDA {0}</source>
        <translation>支持 CUDA {0} 的驱动</translation>
    </message>
    <message>
        <source>no CUDA toolkit package</source>
        <translation>未安装 CUDA 工具包</translation>
    </message>
    <message>
        <source>pip install &apos;convviz[cuda12]&apos; or &apos;convviz[cuda13]&apos; (the one matching the CUDA Version nvidia-smi shows)</source>
        <translation>pip install &apos;convviz[cuda12]&apos; 或 &apos;convviz[cuda13]&apos;（选与 nvidia-smi 显示的 CUDA Version 相符的那个）</translation>
    </message>
    <message>
        <source>the NVIDIA driver supports CUDA {0} but the installed CUDA toolkit is {1}, whose code that driver cannot load; {2}</source>
        <translation>NVIDIA 驱动支持 CUDA {0}，但已安装的 CUDA 工具包是 {1}，该驱动无法加载它生成的代码；{2}</translation>
    </message>
    <message>
        <source>install the CUDA {0} toolkit instead: pip install &quot;convviz[{1}]&quot; (after pip uninstall of the CUDA {2} wheels), or update the driver</source>
        <translation>改装 CUDA {0} 工具包：pip install &quot;convviz[{1}]&quot;（先用 pip uninstall 卸载 CUDA {2} 的安装包），或更新驱动</translation>
    </message>
    <message>
        <source>update the NVIDIA driver</source>
        <translation>请更新 NVIDIA 驱动</translation>
    </message>
    <message>
        <source>the NVIDIA driver answered but reports no GPU</source>
        <translation>NVIDIA 驱动有响应，但报告没有 GPU</translation>
    </message>
</context>
<context>
    <name>EditMenu</name>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>Copy as &amp;PyTorch</source>
        <translation>复制为 &amp;PyTorch 代码</translation>
    </message>
    <message>
        <source>The current convolution as a PyTorch snippet, on the clipboard and in a window</source>
        <translation>将当前卷积生成 PyTorch 代码片段，复制到剪贴板并在窗口中显示</translation>
    </message>
    <message>
        <source>Copy as &amp;scipy</source>
        <translation>复制为 &amp;scipy 代码</translation>
    </message>
    <message>
        <source>The current convolution as a numpy + scipy.signal snippet</source>
        <translation>将当前卷积生成 numpy + scipy.signal 代码片段</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export the animation</source>
        <translation>导出动画</translation>
    </message>
    <message>
        <source>GIF (Pillow)</source>
        <translation>GIF（Pillow）</translation>
    </message>
    <message>
        <source>APNG, animated PNG (Pillow)</source>
        <translation>APNG，动态 PNG（Pillow）</translation>
    </message>
    <message>
        <source>MP4 video (imageio-ffmpeg)</source>
        <translation>MP4 视频（imageio-ffmpeg）</translation>
    </message>
    <message>
        <source>MP4 needs the optional imageio-ffmpeg package: pip install &apos;convviz[export]&apos;. GIF and APNG need nothing more.</source>
        <translation>MP4 需要可选的 imageio-ffmpeg 包：pip install &apos;convviz[export]&apos;。GIF 和 APNG 无需其他依赖。</translation>
    </message>
    <message>
        <source>start (empty output)</source>
        <translation>开始（空输出）</translation>
    </message>
    <message>
        <source>Whole lesson</source>
        <translation>整个课程</translation>
    </message>
    <message>
        <source> frames/s</source>
        <translation> 帧/秒</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Cells</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>{0} frames, {1:.1f} s</source>
        <translation>{0} 帧，{1:.1f} 秒</translation>
    </message>
    <message>
        <source>GIF (*.gif)</source>
        <translation>GIF (*.gif)</translation>
    </message>
    <message>
        <source>Animated PNG (*.png *.apng)</source>
        <translation>动态 PNG (*.png *.apng)</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <source>Give a file name.</source>
        <translation>请给出文件名。</translation>
    </message>
    <message>
        <source>{0} is a folder; give a file name.</source>
        <translation>{0} 是文件夹；请给出文件名。</translation>
    </message>
    <message>
        <source>{0}: no such folder.</source>
        <translation>{0}：文件夹不存在。</translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation>替换该文件？</translation>
    </message>
    <message>
        <source>{0} already exists. Replace it?</source>
        <translation>{0} 已存在。要替换它吗？</translation>
    </message>
    <message>
        <source>Not exported: the file is left as it was.</source>
        <translation>未导出：文件保持原样。</translation>
    </message>
    <message>
        <source>Writing {0}…</source>
        <translation>正在写入 {0}…</translation>
    </message>
    <message>
        <source>Wrote {0}: {1} frames.</source>
        <translation>已写入 {0}：共 {1} 帧。</translation>
    </message>
    <message>
        <source>Could not export: {0}</source>
        <translation>无法导出：{0}</translation>
    </message>
    <message>
        <source>Cancelled; no file written.</source>
        <translation>已取消；未写入任何文件。</translation>
    </message>
</context>
<context>
    <name>FileMenu</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open image…</source>
        <translation>打开图像(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a bundled &amp;sample</source>
        <translation>打开自带示例(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Recent files</source>
        <translation>最近的文件(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save result…</source>
        <translation>保存结果(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Export animation…</source>
        <translation>导出动画(&amp;E)…</translation>
    </message>
    <message>
        <source>The lesson, or a range of its cells, as GIF, APNG or MP4</source>
        <translation>将课程（或其中一段单元）导出为 GIF、APNG 或 MP4</translation>
    </message>
    <message>
        <source>&amp;Lesson demo</source>
        <translation>课程演示(&amp;L)</translation>
    </message>
    <message>
        <source>Back to the built-in lesson</source>
        <translation>回到内置课程</translation>
    </message>
    <message>
        <source>Open &amp;deck…</source>
        <translation>打开讲稿(&amp;D)…</translation>
    </message>
    <message>
        <source>A lecture prepared as scenes (TOML)</source>
        <translation>事先按场景准备好的一堂课（TOML）</translation>
    </message>
    <message>
        <source>Save scene to deck…</source>
        <translation>把当前场景存入讲稿…</translation>
    </message>
    <message>
        <source>Append what the screen shows as a scene at the end of a deck</source>
        <translation>把屏幕上的内容作为一个场景追加到讲稿末尾</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>清空列表</translation>
    </message>
</context>
<context>
    <name>ImageMode</name>
    <message>
        <source>Opening {0}…</source>
        <translation>正在打开 {0}…</translation>
    </message>
    <message>
        <source>Saving {0}…</source>
        <translation>正在保存 {0}…</translation>
    </message>
    <message>
        <source>cancelling…</source>
        <translation>取消中…</translation>
    </message>
    <message>
        <source>Could not open the image</source>
        <translation>无法打开图像</translation>
    </message>
    <message>
        <source>{0}: not enough memory to load it</source>
        <translation>{0}：内存不足，无法加载</translation>
    </message>
    <message>
        <source>{0} · parallel lane ran on: {1} ({2})</source>
        <translation>{0} · 并行栏运行于：{1}（{2}）</translation>
    </message>
    <message>
        <source>computing the whole image…</source>
        <translation>正在计算整张图像…</translation>
    </message>
    <message>
        <source>cancelled: press “Run both” to compute again</source>
        <translation>已取消：按“两者都运行”重新计算</translation>
    </message>
    <message>
        <source>region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>, channel {0}</source>
        <translation>，通道 {0}</translation>
    </message>
    <message>
        <source>The lesson animates output rows {0}–{1}, columns {2}–{3} ({4}×{5} of {6}×{7}). Its input is that region with its halo of real neighbouring pixels; hatched cells are padding, only where the region touches the image border.</source>
        <translation>课程演示输出的第 {0}–{1} 行、第 {2}–{3} 列（{6}×{7} 中的 {4}×{5}）。它的输入是该区域加上周围一圈真实的相邻像素；斜线标出的单元是填充，只出现在区域碰到图像边界的地方。</translation>
    </message>
    <message>
        <source>Here the padding reads pixels from elsewhere in the image (circular padding wraps to the far side), so those pixels are copied in and drawn as ordinary cells.</source>
        <translation>这里的填充读取图像其他位置的像素（循环填充会绕到对边），所以这些像素被复制进来，并画成普通单元。</translation>
    </message>
    <message>
        <source>All {0} channels are summed into each output cell; the lesson draws channel {1}&apos;s pixels and products.</source>
        <translation>全部 {0} 个通道都累加到每个输出单元中；课程画出的是通道 {1} 的像素和乘积。</translation>
    </message>
    <message>
        <source>Each channel is filtered alone; the lesson animates channel {0}.</source>
        <translation>每个通道单独滤波；课程演示通道 {0}。</translation>
    </message>
    <message>
        <source>Nothing to save</source>
        <translation>没有可保存的内容</translation>
    </message>
    <message>
        <source>Compute the result first (Run both).</source>
        <translation>请先计算结果（两者都运行）。</translation>
    </message>
    <message>
        <source>Overwrite the opened image?</source>
        <translation>覆盖已打开的图像？</translation>
    </message>
    <message>
        <source>{0} is the image you opened. Replace it with the result?</source>
        <translation>{0} 是你打开的图像。要用结果替换它吗？</translation>
    </message>
    <message>
        <source>exact float32 result</source>
        <translation>精确的 float32 结果</translation>
    </message>
    <message>
        <source>result as displayed ({0})</source>
        <translation>按显示效果的结果（{0}）</translation>
    </message>
    <message>
        <source>Could not save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Saved the {0} to {1} {2}</source>
        <translation>已将{0}保存到 {1} {2}</translation>
    </message>
</context>
<context>
    <name>ImagePanel</name>
    <message>
        <source>No image open</source>
        <translation>未打开图像</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>打开图像…</translation>
    </message>
    <message>
        <source>Open a bundled sample…</source>
        <translation>打开自带示例…</translation>
    </message>
    <message>
        <source>◀ Back to the lesson demo</source>
        <translation>◀ 回到课程演示</translation>
    </message>
    <message>
        <source>Each channel alone</source>
        <translation>每个通道单独处理</translation>
    </message>
    <message>
        <source>Every channel filtered with the same kernel, groups = C: what an image editor does</source>
        <translation>每个通道用同一个卷积核滤波，groups = C：图像编辑软件的做法</translation>
    </message>
    <message>
        <source>Deep-learning layer</source>
        <translation>深度学习层</translation>
    </message>
    <message>
        <source>One output channel: the C input channels, each multiplied by the kernel, summed (kernel 1×C×kh×kw)</source>
        <translation>一个输出通道：C 个输入通道分别与卷积核相乘后求和（卷积核 1×C×kh×kw）</translation>
    </message>
    <message>
        <source>The channel the step-by-step lesson shows</source>
        <translation>逐步演示的课程所显示的通道</translation>
    </message>
    <message>
        <source>same (output = input size)</source>
        <translation>same（输出 = 输入大小）</translation>
    </message>
    <message>
        <source>valid (no padding)</source>
        <translation>valid（无填充）</translation>
    </message>
    <message>
        <source>PyTorch names; numpy: {0}</source>
        <translation>PyTorch 的名称；numpy：{0}</translation>
    </message>
    <message>
        <source>cross-correlation (as deep learning)</source>
        <translation>互相关（深度学习的做法）</translation>
    </message>
    <message>
        <source>convolution (kernel rotated 180°)</source>
        <translation>卷积（卷积核旋转 180°）</translation>
    </message>
    <message>
        <source>Save result…</source>
        <translation>保存结果…</translation>
    </message>
    <message>
        <source>Lesson shows channel</source>
        <translation>课程显示的通道</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Padding mode</source>
        <translation>填充模式</translation>
    </message>
    <message>
        <source>Dilation</source>
        <translation>膨胀</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>Geometry</source>
        <translation>几何参数</translation>
    </message>
    <message>
        <source>Transparency dropped: every pixel keeps its stored colour, even fully transparent ones.</source>
        <translation>已去除透明度：每个像素保留其存储的颜色，即使是完全透明的像素。</translation>
    </message>
    <message>
        <source>A grey image: one channel, kernel 1×1×kh×kw.</source>
        <translation>灰度图像：单通道，卷积核 1×1×kh×kw。</translation>
    </message>
    <message>
        <source>{0} channels summed into 1 output channel: kernel 1×{0}×kh×kw, groups = 1</source>
        <translation>{0} 个通道累加为 1 个输出通道：卷积核 1×{0}×kh×kw，groups = 1</translation>
    </message>
    <message>
        <source>{0} channels filtered alone: kernel {0}×1×kh×kw, groups = {0}</source>
        <translation>{0} 个通道分别滤波：卷积核 {0}×1×kh×kw，groups = {0}</translation>
    </message>
    <message>
        <source>Invalid setting — {0}. The results show the last valid setting.</source>
        <translation>设置无效——{0}。结果显示的是上一个有效的设置。</translation>
    </message>
</context>
<context>
    <name>ImageStrip</name>
    <message>
        <source>⚡ Run both on the whole image</source>
        <translation>⚡ 在整张图像上运行两者</translation>
    </message>
    <message>
        <source>Time the sequential CPU loop and the parallel lane on the whole image (R)</source>
        <translation>在整张图像上为串行 CPU 循环和并行栏计时（R）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>signed: diverging colours, 0 in the middle, ±L; absolute: |v| in grey, 0…L; clipped: the input&apos;s range in grey. L is the 99th percentile of |v|: a few larger values saturate.</source>
        <translation>有符号：发散色图，0 在中间，范围 ±L；绝对值：|v| 以灰度显示，0…L；截断：以灰度显示输入的取值范围。L 是 |v| 的第 99 百分位数：少数更大的值会饱和。</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>Show results</source>
        <translation>结果显示方式</translation>
    </message>
    <message>
        <source>Sequential: CPU, one cell after another</source>
        <translation>串行：CPU，逐个单元计算</translation>
    </message>
    <message>
        <source>Parallel: one thread per cell</source>
        <translation>并行：每个单元一个线程</translation>
    </message>
    <message>
        <source>Difference parallel − sequential</source>
        <translation>差值：并行 − 串行</translation>
    </message>
    <message>
        <source>Hover a picture to read the values there.</source>
        <translation>将鼠标悬停在图片上可读取该处的数值。</translation>
    </message>
    <message>
        <source>Input {0}: drag the orange region</source>
        <translation>输入 {0}：拖动橙色区域</translation>
    </message>
    <message>
        <source>signed, 0 in the middle</source>
        <translation>有符号，0 在中间</translation>
    </message>
    <message>
        <source>absolute |v|</source>
        <translation>绝对值 |v|</translation>
    </message>
    <message>
        <source>clipped {0}–{1}</source>
        <translation>截断到 {0}–{1}</translation>
    </message>
    <message>
        <source>not run yet</source>
        <translation>尚未运行</translation>
    </message>
    <message>
        <source>Parallel: all CPU cores, standing in for CUDA</source>
        <translation>并行：全部 CPU 核心，代替 CUDA</translation>
    </message>
    <message>
        <source>Parallel: CUDA, one thread per cell (simulated on the CPU)</source>
        <translation>并行：CUDA，每个单元一个线程（在 CPU 上模拟）</translation>
    </message>
    <message>
        <source>Parallel: CUDA, one thread per cell</source>
        <translation>并行：CUDA，每个单元一个线程</translation>
    </message>
    <message>
        <source>needs both lanes</source>
        <translation>需要两栏的结果</translation>
    </message>
    <message>
        <source>scale ±{0}</source>
        <translation>刻度 ±{0}</translation>
    </message>
    <message>
        <source>every pixel equal (uniform)</source>
        <translation>每个像素都相等（均匀）</translation>
    </message>
    <message>
        <source>max |Δ| = {0}&lt;br&gt;&lt;b style=&apos;color:{1}&apos;&gt;{2}&lt;/b&gt;&lt;br&gt;{3}</source>
        <translation>最大 |Δ| = {0}&lt;br&gt;&lt;b style=&apos;color:{1}&apos;&gt;{2}&lt;/b&gt;&lt;br&gt;{3}</translation>
    </message>
    <message>
        <source>running on the whole image…</source>
        <translation>正在整张图像上运行…</translation>
    </message>
    <message>
        <source>{0}: %v / %m cells</source>
        <translation>{0}：%v / %m 个单元</translation>
    </message>
    <message>
        <source>pixel (row {0}, col {1}): input &lt;b&gt;{2}&lt;/b&gt;</source>
        <translation>像素（第 {0} 行，第 {1} 列）：输入 &lt;b&gt;{2}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>sequential &lt;b&gt;{0}&lt;/b&gt;</source>
        <translation>串行 &lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>parallel &lt;b&gt;{0}&lt;/b&gt;</source>
        <translation>并行 &lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Δ {0}</source>
        <translation>Δ {0}</translation>
    </message>
    <message>
        <source>no output cell here (valid padding)</source>
        <translation>此处没有输出单元（valid 填充）</translation>
    </message>
</context>
<context>
    <name>ImageViews</name>
    <message>
        <source>16-bit {0} PNG read exactly (values 0..65535)</source>
        <translation>16 位{0} PNG 已精确读取（取值 0..65535）</translation>
    </message>
    <message>
        <source>alpha/transparency dropped (stored colour values used)</source>
        <translation>已去除 alpha/透明度（使用存储的颜色值）</translation>
    </message>
    <message>
        <source>colour -&gt; grey (ITU-R 601-2 luma)</source>
        <translation>彩色 → 灰度（ITU-R 601-2 亮度）</translation>
    </message>
    <message>
        <source>EXIF orientation {0} applied</source>
        <translation>已应用 EXIF 方向 {0}</translation>
    </message>
    <message>
        <source>first of {0} frames/pages loaded</source>
        <translation>已加载 {0} 帧/页中的第一帧</translation>
    </message>
    <message>
        <source>1-bit -&gt; grey 0/255</source>
        <translation>1 位 → 灰度 0/255</translation>
    </message>
    <message>
        <source>palette of greys -&gt; grey</source>
        <translation>灰度调色板 → 灰度</translation>
    </message>
    <message>
        <source>palette -&gt; RGB</source>
        <translation>调色板 → RGB</translation>
    </message>
    <message>
        <source>CMYK -&gt; RGB (Pillow&apos;s formula, no colour profile)</source>
        <translation>CMYK → RGB（Pillow 的公式，无色彩配置文件）</translation>
    </message>
    <message>
        <source>YCbCr -&gt; RGB</source>
        <translation>YCbCr → RGB</translation>
    </message>
    <message>
        <source>16-bit colour {0} reduced to 8 bits by Pillow (high byte kept, values 0..255)</source>
        <translation>16 位彩色 {0} 被 Pillow 降为 8 位（保留高字节，取值 0..255）</translation>
    </message>
    <message>
        <source>16-bit colour PNG reduced to 8 bits (high byte kept: {0})</source>
        <translation>16 位彩色 PNG 降为 8 位（保留高字节：{0}）</translation>
    </message>
    <message>
        <source>EXIF unreadable, orientation not applied ({0})</source>
        <translation>EXIF 无法读取，未应用方向（{0}）</translation>
    </message>
    <message>
        <source>EXIF orientation {0} is invalid; ignored</source>
        <translation>EXIF 方向 {0} 无效；已忽略</translation>
    </message>
    <message>
        <source>could not count the frames</source>
        <translation>无法统计帧数</translation>
    </message>
    <message>
        <source>{0} -&gt; float32</source>
        <translation>{0} -&gt; float32</translation>
    </message>
</context>
<context>
    <name>KernelEditor</name>
    <message>
        <source>Identity</source>
        <translation>恒等</translation>
    </message>
    <message>
        <source>Box blur</source>
        <translation>方框模糊</translation>
    </message>
    <message>
        <source>Gaussian blur</source>
        <translation>高斯模糊</translation>
    </message>
    <message>
        <source>Sharpen</source>
        <translation>锐化</translation>
    </message>
    <message>
        <source>Sobel x</source>
        <translation>Sobel x</translation>
    </message>
    <message>
        <source>Sobel y</source>
        <translation>Sobel y</translation>
    </message>
    <message>
        <source>Scharr x</source>
        <translation>Scharr x</translation>
    </message>
    <message>
        <source>Scharr y</source>
        <translation>Scharr y</translation>
    </message>
    <message>
        <source>Laplacian</source>
        <translation>拉普拉斯</translation>
    </message>
    <message>
        <source>Emboss</source>
        <translation>浮雕</translation>
    </message>
    <message>
        <source>Outline (edge)</source>
        <translation>轮廓（边缘）</translation>
    </message>
    <message>
        <source>Motion blur</source>
        <translation>运动模糊</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Custom (yours)</source>
        <translation>自定义（你的）</translation>
    </message>
    <message>
        <source>Type a number or a fraction such as 1/9 in any cell</source>
        <translation>在任意单元中输入数字或分数，例如 1/9</translation>
    </message>
    <message>
        <source>Normalise (sum 1)</source>
        <translation>归一化（和为 1）</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>加载…</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Sigma</source>
        <translation>Sigma</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列数</translation>
    </message>
    <message>
        <source>The weights sum to 0 (an edge detector): they cannot be scaled to sum 1.</source>
        <translation>权重之和为 0（边缘检测器）：无法缩放到和为 1。</translation>
    </message>
    <message>
        <source>Divided every weight by {0}.</source>
        <translation>已将每个权重除以 {0}。</translation>
    </message>
    <message>
        <source>New cells are 0.</source>
        <translation>新增单元为 0。</translation>
    </message>
    <message>
        <source>row {0}, column {1}</source>
        <translation>第 {0} 行，第 {1} 列</translation>
    </message>
    <message>
        <source>{0!r} at row {1}, column {2} is too large for float32</source>
        <translation>第 {1} 行第 {2} 列的 {0!r} 超出 float32 的范围</translation>
    </message>
    <message>
        <source>{0}. The last good kernel stays in use.</source>
        <translation>{0}。继续使用上一个有效的卷积核。</translation>
    </message>
    <message>
        <source>Load a kernel</source>
        <translation>加载卷积核</translation>
    </message>
    <message>
        <source>Kernels (*.npy *.txt)</source>
        <translation>卷积核 (*.npy *.txt)</translation>
    </message>
    <message>
        <source>{0}: a {1} kernel has several channels; the image mode uses one 2-D kernel</source>
        <translation>{0}：{1} 的卷积核有多个通道；图像模式只使用一个二维卷积核</translation>
    </message>
    <message>
        <source>{0}: a {1}×{2} kernel is larger than the editor&apos;s {3}×{3}</source>
        <translation>{0}：{1}×{2} 的卷积核大于编辑器的上限 {3}×{3}</translation>
    </message>
    <message>
        <source>Loaded {0}.</source>
        <translation>已加载 {0}。</translation>
    </message>
    <message>
        <source>Save the kernel</source>
        <translation>保存卷积核</translation>
    </message>
    <message>
        <source>Text (*.txt);;NumPy (*.npy)</source>
        <translation>文本 (*.txt);;NumPy (*.npy)</translation>
    </message>
    <message>
        <source>{0}: cannot write ({1})</source>
        <translation>{0}：无法写入（{1}）</translation>
    </message>
    <message>
        <source>Saved {0}.</source>
        <translation>已保存 {0}。</translation>
    </message>
    <message>
        <source>{0}×{1}, sum of weights {2}</source>
        <translation>{0}×{1}，权重之和 {2}</translation>
    </message>
</context>
<context>
    <name>LaneText</name>
    <message>
        <source>median of {0} runs (min {1}, max {2}, spread ±{3})</source>
        <translation>{0} 次运行的中位数（最短 {1}，最长 {2}，离散 ±{3}）</translation>
    </message>
    <message>
        <source>median of {0} runs, spread ±{1}</source>
        <translation>{0} 次运行的中位数，离散 ±{1}</translation>
    </message>
    <message>
        <source>one run (simulated: not repeated)</source>
        <translation>运行一次（模拟：不重复）</translation>
    </message>
    <message>
        <source>copy in {0} · kernel {1} · copy out {2}</source>
        <translation>拷入 {0} · 内核 {1} · 拷出 {2}</translation>
    </message>
    <message>
        <source>grid {0} × block {1} = {2} threads</source>
        <translation>网格 {0} × 线程块 {1} = {2} 个线程</translation>
    </message>
    <message>
        <source>compile {0} (compiled), apart from the time</source>
        <translation>编译 {0}（已编译），不计入时间</translation>
    </message>
    <message>
        <source>compile {0} (loaded from cache), apart from the time</source>
        <translation>编译 {0}（从缓存加载），不计入时间</translation>
    </message>
    <message>
        <source>{0} on {1}</source>
        <translation>{0} 运行于 {1}</translation>
    </message>
    <message>
        <source>the same code on 1 core: {0}, on {1} cores: {2}: ×{3} from the cores</source>
        <translation>同一段代码在 1 个核心上：{0}，在 {1} 个核心上：{2}：核心带来 ×{3}</translation>
    </message>
    <message>
        <source>the same code on 1 core: {0}, on {1} cores: {2}: slower on {1} cores (waking the threads costs more than this work)</source>
        <translation>同一段代码在 1 个核心上：{0}，在 {1} 个核心上：{2}：{1} 个核心反而更慢（唤醒线程的开销比这点工作还大）</translation>
    </message>
    <message>
        <source>the same code on 1 core: {0}, on {1} cores: {2}: no difference larger than the spread (±{3})</source>
        <translation>同一段代码在 1 个核心上：{0}，在 {1} 个核心上：{2}：差别没有超出离散范围（±{3}）</translation>
    </message>
    <message>
        <source>×{0} from the cores</source>
        <translation>核心带来 ×{0}</translation>
    </message>
    <message>
        <source>slower on {0} cores</source>
        <translation>{0} 个核心上反而更慢</translation>
    </message>
    <message>
        <source>cores: no difference beyond the spread</source>
        <translation>多核：差别没有超出离散范围</translation>
    </message>
    <message>
        <source>No NVIDIA GPU: the CUDA kernel ran on Numba&apos;s simulator on the CPU. Not a GPU time.</source>
        <translation>没有 NVIDIA GPU：CUDA 内核在 CPU 上的 Numba 模拟器中运行。不是 GPU 时间。</translation>
    </message>
    <message>
        <source>The CUDA simulator cannot run {0} output cells; this lane ran on all CPU cores instead — not a GPU time.</source>
        <translation>CUDA 模拟器无法运行 {0} 个输出单元格；这一栏改在全部 CPU 核心上运行——不是 GPU 时间。</translation>
    </message>
    <message>
        <source>{0} could not run this problem ({1}); this lane ran on {2} instead — not a GPU time.</source>
        <translation>{0} 无法运行这个问题（{1}）；这一栏改在 {2} 上运行——不是 GPU 时间。</translation>
    </message>
    <message>
        <source>{0} did not run</source>
        <translation>{0} 未运行</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已被取消</translation>
    </message>
    <message>
        <source>compiling the CPU kernels for {0}</source>
        <translation>正在编译 {0} 的 CPU 内核</translation>
    </message>
    <message>
        <source>compiling the CUDA kernel for {0}</source>
        <translation>正在编译 {0} 的 CUDA 内核</translation>
    </message>
    <message>
        <source>, 1 thread</source>
        <translation>，1 个线程</translation>
    </message>
    <message>
        <source>, {0} threads</source>
        <translation>，{0} 个线程</translation>
    </message>
    <message>
        <source>Numba CUDA simulator on the CPU</source>
        <translation>在 CPU 上运行的 Numba CUDA 模拟器</translation>
    </message>
</context>
<context>
    <name>LanesStrip</name>
    <message>
        <source>⚑ Race</source>
        <translation>⚑ 赛跑</translation>
    </message>
    <message>
        <source>The same lesson on one core, this CPU&apos;s cores and a GPU, one clock (C)</source>
        <translation>同一课程在单核、本机 CPU 的全部核心和 GPU 上，同一时钟赛跑（C）</translation>
    </message>
    <message>
        <source>⚡ Run in parallel</source>
        <translation>⚡ 并行运行</translation>
    </message>
    <message>
        <source>Run the CPU loop and the CUDA kernel on this lesson and time both (R)</source>
        <translation>在本课程上运行 CPU 循环和 CUDA 内核，并对两者计时（R）</translation>
    </message>
    <message>
        <source>also run the tiled kernel (shared memory)</source>
        <translation>同时运行分块内核（共享内存）</translation>
    </message>
    <message>
        <source>A third lane: the cuda-tiled kernel, whose blocks copy their input tile and its halo into shared memory once and compute several cells per thread</source>
        <translation>第三栏：cuda-tiled 内核，它的线程块把输入分块及其光环区（边缘）一次性复制到共享内存，每个线程计算多个单元</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sequential: CPU, one cell after another</source>
        <translation>串行：CPU，逐个单元计算</translation>
    </message>
    <message>
        <source>Parallel: CUDA, one thread per cell</source>
        <translation>并行：CUDA，每个单元一个线程</translation>
    </message>
    <message>
        <source>Parallel: CUDA tiles in shared memory</source>
        <translation>并行：CUDA 共享内存分块</translation>
    </message>
    <message>
        <source>not run yet: press “Run in parallel”</source>
        <translation>尚未运行：请按“并行运行”</translation>
    </message>
    <message>
        <source>not run yet</source>
        <translation>尚未运行</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>{0}: %v / %m cells</source>
        <translation>{0}：%v / %m 个单元</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>no comparison</source>
        <translation>无法比较</translation>
    </message>
</context>
<context>
    <name>LessonModel</name>
    <message>
        <source>a lesson has 1 to {0} input and output channels; got {1} → {2}</source>
        <translation>课程的输入和输出通道数为 1 到 {0}；得到的是 {1} → {2}</translation>
    </message>
    <message>
        <source>unknown kernel preset {0!r}</source>
        <translation>未知的卷积核预设 {0!r}</translation>
    </message>
</context>
<context>
    <name>LessonRuns</name>
    <message>
        <source>cancelling…</source>
        <translation>取消中…</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已被取消</translation>
    </message>
    <message>
        <source>Loading the kernels from the cache…</source>
        <translation>正在从缓存加载内核…</translation>
    </message>
    <message>
        <source>Compiling kernels… (first launch only; later launches load them from the cache)</source>
        <translation>正在编译内核…（仅首次启动；以后启动时从缓存加载）</translation>
    </message>
    <message>
        <source>Kernels ready in {0} s</source>
        <translation>内核已就绪，用时 {0} 秒</translation>
    </message>
    <message>
        <source>Kernels ready in {0} s (loaded from cache)</source>
        <translation>内核已就绪，用时 {0} 秒（从缓存加载）</translation>
    </message>
    <message>
        <source>Kernels ready in {0} s (compiled; later launches load them from the cache)</source>
        <translation>内核已就绪，用时 {0} 秒（已编译；以后启动时从缓存加载）</translation>
    </message>
    <message>
        <source>fix the invalid setting first</source>
        <translation>请先修正无效的设置</translation>
    </message>
    <message>
        <source>Compiling kernels… the run starts when they are ready</source>
        <translation>正在编译内核…就绪后即开始运行</translation>
    </message>
    <message>
        <source>{0} · parallel lane ran on: {1}</source>
        <translation>{0} · 并行栏运行于：{1}</translation>
    </message>
    <message>
        <source>the lesson changed: press “Run in parallel” to time it</source>
        <translation>课程已改变：按“并行运行”为其计时</translation>
    </message>
</context>
<context>
    <name>LessonView</name>
    <message>
        <source>in {0}</source>
        <translation>输入 {0}</translation>
    </message>
    <message>
        <source>out {0}</source>
        <translation>输出 {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CUDA device: NVIDIA GPU — {0}</source>
        <translation>CUDA 设备：NVIDIA GPU — {0}</translation>
    </message>
    <message>
        <source>No NVIDIA GPU: {0}</source>
        <translation>没有 NVIDIA GPU：{0}</translation>
    </message>
    <message>
        <source>CUDA unavailable: {0}</source>
        <translation>CUDA 不可用：{0}</translation>
    </message>
    <message>
        <source>convviz — convolution, one cell at a time and all at once</source>
        <translation>convviz — 卷积：逐个单元计算，与全部同时计算</translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Save the result</source>
        <translation>保存结果</translation>
    </message>
    <message>
        <source>Invalid setting: see the message above the formula</source>
        <translation>设置无效：请看公式上方的提示</translation>
    </message>
</context>
<context>
    <name>PlaybackBar</name>
    <message>
        <source>1 step / {0} s</source>
        <translation>每 {0} 秒 1 步</translation>
    </message>
    <message>
        <source>{0} steps/s</source>
        <translation>每秒 {0} 步</translation>
    </message>
    <message>
        <source>Jump to the start (Home)</source>
        <translation>跳到开头（Home）</translation>
    </message>
    <message>
        <source>One step back (← or PageUp)</source>
        <translation>后退一步（← 或 PageUp）</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>播放 / 暂停（空格）</translation>
    </message>
    <message>
        <source>One step forward (→ or PageDown)</source>
        <translation>前进一步（→ 或 PageDown）</translation>
    </message>
    <message>
        <source>Jump to the end (End)</source>
        <translation>跳到结尾（End）</translation>
    </message>
    <message>
        <source>Speed: from a step every 2 s to 500 steps a second (+ / −)</source>
        <translation>速度：从每 2 秒一步到每秒 500 步（+ / −）</translation>
    </message>
    <message>
        <source>Scrub over every output cell (and, with several input channels, every channel of each)</source>
        <translation>拖动浏览每个输出单元（有多个输入通道时，还包括每个单元的每个通道）</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>start / {0} cells</source>
        <translation>开始 / 共 {0} 个单元</translation>
    </message>
    <message>
        <source>cell {0} / {1}, channel {2} of {3}</source>
        <translation>单元 {0} / {1}，第 {2} 个通道（共 {3} 个）</translation>
    </message>
    <message>
        <source>cell {0} / {1}, + bias</source>
        <translation>单元 {0} / {1}，+ 偏置</translation>
    </message>
    <message>
        <source>cell {0} / {1}</source>
        <translation>单元 {0} / {1}</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
</context>
<context>
    <name>ViewMenu</name>
    <message>
        <source>&amp;Race: one core, all cores, a GPU</source>
        <translation>赛跑：单核、全部核心、GPU(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Full screen, large type, high contrast, side panel hidden; B or . blanks the screen; Esc leaves</source>
        <translation>全屏、大字号、高对比度、隐藏侧边栏；按 B 或 . 黑屏；按 Esc 退出</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Benchmark: when does the GPU win?</source>
        <translation>基准测试：GPU 何时胜出？(&amp;B)</translation>
    </message>
    <message>
        <source>Time the current kernel over image sizes on this machine, beside a recorded GPU benchmark</source>
        <translation>在本机上按多种图像尺寸为当前卷积核计时，并与已记录的 GPU 基准测试对照</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
</context>
<context>
    <name>ViewSwitch</name>
    <message>
        <source>Output shows:</source>
        <translation>输出显示：</translation>
    </message>
    <message>
        <source>threads (cuda)</source>
        <translation>线程（cuda）</translation>
    </message>
    <message>
        <source>tiles (cuda-tiled)</source>
        <translation>分块（cuda-tiled）</translation>
    </message>
    <message>
        <source>Tint and outline the output by the blocks of the one-thread-per-cell kernel</source>
        <translation>按每个单元一个线程的内核的线程块为输出着色并画框</translation>
    </message>
    <message>
        <source>Tint and outline the output by the tiled kernel&apos;s shared-memory tiles; hover a cell to see its thread and the input its block loaded</source>
        <translation>按分块内核的共享内存分块为输出着色并画框；悬停一个单元可看到它的线程以及它的线程块加载的输入</translation>
    </message>
</context>
<context>
    <name>text</name>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Products w·x</source>
        <translation>乘积 w·x</translation>
    </message>
    <message>
        <source>channel {0} of {1}</source>
        <translation>第 {0} 个通道（共 {1} 个）</translation>
    </message>
    <message>
        <source>out {0}</source>
        <translation>输出 {0}</translation>
    </message>
    <message>
        <source>w[{0},{1}]</source>
        <translation>w[{0},{1}]</translation>
    </message>
    <message>
        <source>the kernel out {0} applies to input channel {1}</source>
        <translation>输出 {0} 作用于输入通道 {1} 的卷积核</translation>
    </message>
    <message>
        <source>in {0}</source>
        <translation>输入 {0}</translation>
    </message>
    <message>
        <source>Products w·x, {0}</source>
        <translation>乘积 w·x，{0}</translation>
    </message>
    <message>
        <source>Output: {0} channels of {1}×{2}, all at once (tint = CUDA block)</source>
        <translation>输出：{0} 个 {1}×{2} 通道，同时计算（底色 = CUDA 线程块）</translation>
    </message>
    <message>
        <source>Output {0}×{1}, all at once (tint = CUDA block)</source>
        <translation>输出 {0}×{1}，同时计算（底色 = CUDA 线程块）</translation>
    </message>
</context>
</TS>
