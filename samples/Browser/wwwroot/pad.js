// The 28×28 drawing pad: strokes on a 280×280 canvas, averaged down to 28×28 values in [0, 1] (white on black, like
// Fashion-MNIST), handed to .NET when a stroke ends.
window.netgenPad = (() => {
    let canvas, context, dotnet, drawing = false;

    function pixels() {
        const data = context.getImageData(0, 0, 280, 280).data;
        const result = new Array(784).fill(0);
        for (let y = 0; y < 280; y++) {
            for (let x = 0; x < 280; x++) {
                result[Math.floor(y / 10) * 28 + Math.floor(x / 10)] += data[(y * 280 + x) * 4] / 255 / 100;
            }
        }
        return result;
    }

    function point(e) {
        const r = canvas.getBoundingClientRect();
        return [e.clientX - r.left, e.clientY - r.top];
    }

    return {
        init(id, reference) {
            canvas = document.getElementById(id);
            context = canvas.getContext('2d', { willReadFrequently: true });
            dotnet = reference;
            context.fillStyle = '#000';
            context.fillRect(0, 0, 280, 280);
            context.strokeStyle = '#fff';
            context.lineWidth = 22;
            context.lineCap = 'round';
            canvas.addEventListener('pointerdown', e => { drawing = true; context.beginPath(); context.moveTo(...point(e)); });
            canvas.addEventListener('pointermove', e => { if (drawing) { context.lineTo(...point(e)); context.stroke(); } });
            const end = () => { if (drawing) { drawing = false; dotnet.invokeMethodAsync('Drawn', pixels()); } };
            canvas.addEventListener('pointerup', end);
            canvas.addEventListener('pointerleave', end);
        },
        clear() {
            context.fillStyle = '#000';
            context.fillRect(0, 0, 280, 280);
        },
        show(values) {
            for (let i = 0; i < 784; i++) {
                const v = Math.round(values[i] * 255);
                context.fillStyle = `rgb(${v},${v},${v})`;
                context.fillRect((i % 28) * 10, Math.floor(i / 28) * 10, 10, 10);
            }
        },
        drawThumb(id, values) {
            const c = document.getElementById(id).getContext('2d');
            for (let i = 0; i < 784; i++) {
                const v = Math.round(values[i] * 255);
                c.fillStyle = `rgb(${v},${v},${v})`;
                c.fillRect((i % 28) * 2, Math.floor(i / 28) * 2, 2, 2);
            }
        },
    };
})();
