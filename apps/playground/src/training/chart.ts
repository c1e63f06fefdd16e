// A small line chart for the training curves: loss (left axis, from 0 to its highest value) and
// accuracy (right axis, 0 to 1) against the batch number over all epochs. Canvas 2D, redrawn
// at most once per animation frame however fast the batches arrive.

export interface CurvePoint {
  step: number;
  loss: number;
  accuracy: number;
}

const LOSS_COLOR = '#c0392b';
const ACCURACY_COLOR = '#2f6fdf';

export class TrainingChart {
  readonly canvas: HTMLCanvasElement;
  private points: CurvePoint[] = [];
  private totalSteps = 1;
  private frame = 0;

  constructor() {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'chart';
    this.canvas.dataset.testid = 'training-chart';
  }

  reset(totalSteps: number): void {
    this.points = [];
    this.totalSteps = Math.max(1, totalSteps);
    this.schedule();
  }

  add(point: CurvePoint): void {
    this.points.push(point);
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw(): void {
    const ratio = globalThis.devicePixelRatio || 1;
    const width = this.canvas.clientWidth || 600;
    const height = this.canvas.clientHeight || 240;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const left = 48;
    const right = width - 48;
    const top = 30;
    const bottom = height - 28;
    const maxLoss = Math.max(0.5, ...this.points.map((p) => p.loss));
    const x = (step: number) => left + ((right - left) * step) / this.totalSteps;

    context.font = '11px system-ui, sans-serif';
    context.strokeStyle = '#e3e7ee';
    context.fillStyle = '#5d6677';
    context.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = bottom - ((bottom - top) * i) / 4;
      context.beginPath();
      context.moveTo(left, y);
      context.lineTo(right, y);
      context.stroke();
      context.textAlign = 'right';
      context.fillText(((maxLoss * i) / 4).toFixed(2), left - 6, y + 4);
      context.textAlign = 'left';
      context.fillText(`${25 * i}%`, right + 6, y + 4);
    }
    context.textAlign = 'center';
    context.fillText(`batch (of ${this.totalSteps})`, (left + right) / 2, height - 8);

    const line = (color: string, value: (p: CurvePoint) => number) => {
      context.strokeStyle = color;
      context.lineWidth = 1.8;
      context.beginPath();
      this.points.forEach((p, i) => {
        const y = bottom - (bottom - top) * value(p);
        if (i === 0) context.moveTo(x(p.step), y);
        else context.lineTo(x(p.step), y);
      });
      context.stroke();
    };
    line(LOSS_COLOR, (p) => p.loss / maxLoss);
    line(ACCURACY_COLOR, (p) => p.accuracy);

    // The legend sits above the plot so the curves never run through it.
    context.textAlign = 'left';
    context.fillStyle = LOSS_COLOR;
    context.fillText('● loss (left axis)', left, 14);
    context.fillStyle = ACCURACY_COLOR;
    context.fillText('● accuracy (right axis)', left + 110, 14);
  }
}
